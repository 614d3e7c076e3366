//! Identifiers: UUID newtypes. Clients choose vault, item and version ids (v4); the server
//! chooses user ids. On the wire each is its lowercase hyphenated text.

use serde::{Deserialize, Deserializer, Serialize};
use std::borrow::Cow;
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
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh random (v4) id.
            #[cfg(feature = "random")]
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

        #[cfg(feature = "random")]
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

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                parse_id(d).map(Self)
            }
        }
    };
}

/// A UUID from text (any of the forms `Uuid::parse_str` reads), with an error that names the
/// value; formats that are not human-readable keep the UUID's own encoding.
fn parse_id<'de, D: Deserializer<'de>>(d: D) -> Result<Uuid, D::Error> {
    if !d.is_human_readable() {
        return Uuid::deserialize(d);
    }
    let s = Cow::<'de, str>::deserialize(d)?;
    Uuid::parse_str(&s).map_err(|_| serde::de::Error::custom(format!("invalid value: {s:?}, expected a UUID")))
}

id_type! {
    /// The id of a vault.
    ///
    /// ```
    /// use localful_protocol::VaultId;
    /// let id: VaultId = "6F9619FF-8B86-4011-B42D-00C04FC964FF".parse()?;
    /// assert_eq!(id.to_string(), "6f9619ff-8b86-4011-b42d-00c04fc964ff");
    /// # Ok::<(), localful_protocol::IdError>(())
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

id_type! {
    /// The id of a user account (chosen by the server).
    UserId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_hyphenated_text_whatever_form_they_came_in() {
        let id: ItemId = serde_json::from_str("\"6F9619FF8B864011B42D00C04FC964FF\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"6f9619ff-8b86-4011-b42d-00c04fc964ff\"");
        assert_eq!(id.to_string().parse::<ItemId>().unwrap(), id);
    }

    #[test]
    fn a_non_uuid_is_refused_naming_the_value() {
        let err = serde_json::from_str::<VersionId>("\"nope\"").unwrap_err().to_string();
        assert!(err.starts_with("invalid value: \"nope\", expected a UUID"), "{err}");
        assert_eq!("nope".parse::<UserId>(), Err(IdError("nope".into())));
        assert!(serde_json::from_str::<VaultId>("12").is_err());
    }

    #[cfg(feature = "random")]
    #[test]
    fn fresh_ids_are_v4() {
        assert_eq!(ItemId::new().as_uuid().get_version_num(), 4);
    }
}
