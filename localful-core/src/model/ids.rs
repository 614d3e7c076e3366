//! Identifiers: UUID v4 newtypes, chosen by the client (SPEC: "Data model").

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// A string that is not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a UUID: {0:?}")]
pub struct IdError(pub String);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh random (v4) id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }

            /// Wraps an existing UUID.
            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The UUID inside.
            pub fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self).map_err(|_| IdError(s.to_owned()))
            }
        }
    };
}

id_type! {
    /// The id of a [`Vault`](crate::Vault).
    ///
    /// ```
    /// use localful_core::VaultId;
    /// let id = VaultId::new();
    /// assert_eq!(id.to_string().parse::<VaultId>()?, id);
    /// # Ok::<(), localful_core::IdError>(())
    /// ```
    VaultId
}

id_type! {
    /// The id of an item (an entity of one collection).
    ItemId
}

id_type! {
    /// The id of one immutable version of an item.
    VersionId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v4_and_round_trip_as_plain_strings() {
        let id = ItemId::new();
        assert_eq!(id.as_uuid().get_version_num(), 4);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<ItemId>(&json).unwrap(), id);
        assert!("nope".parse::<VersionId>().is_err());
    }
}
