//! The change log: entries of `GET /v1/vaults/:id/changes` and the payload of the socket's
//! item/version events.

use crate::{Listing, VaultId, WireItem, WireVersion};
use serde::{Deserialize, Serialize};

/// What a change-log entry records; its name is also the socket event that carries the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChangeKind {
    /// `item-create`.
    #[serde(rename = "item-create")]
    ItemCreate,
    /// `item-delete`.
    #[serde(rename = "item-delete")]
    ItemDelete,
    /// `version-create`.
    #[serde(rename = "version-create")]
    VersionCreate,
    /// `version-delete`.
    #[serde(rename = "version-delete")]
    VersionDelete,
}

impl ChangeKind {
    /// Every kind.
    pub const ALL: [ChangeKind; 4] = [Self::ItemCreate, Self::ItemDelete, Self::VersionCreate, Self::VersionDelete];

    /// The name on the wire (and in the server's change log).
    pub const fn name(self) -> &'static str {
        match self {
            Self::ItemCreate => "item-create",
            Self::ItemDelete => "item-delete",
            Self::VersionCreate => "version-create",
            Self::VersionDelete => "version-delete",
        }
    }

    /// The kind named `name`, if it is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether the entry is about an item (else about a version).
    pub const fn is_item(self) -> bool {
        matches!(self, Self::ItemCreate | Self::ItemDelete)
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One change-log entry `{seq, event, vaultId, createdAt, item | version}`, carrying the entity
/// as it is now on the server (so applying entries in order, again or late, is always safe). An
/// entry whose entity is gone carries neither.
///
/// Fields are declared in the order the server writes them (alphabetical).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// Server time of the change (informative).
    #[serde(default)]
    pub created_at: Option<crate::Timestamp>,
    /// What happened.
    pub event: ChangeKind,
    /// The item, for item changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<WireItem>,
    /// The vault's monotonic change number.
    pub seq: u64,
    /// The vault.
    pub vault_id: VaultId,
    /// The version, for version changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<WireVersion>,
}

/// A page of `/v1/vaults/:id/changes?since=&limit=`: entries with `seq > since`, in order, and
/// `meta.latestSeq`.
pub type ChangesPage = Listing<Change>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_named_as_their_socket_events() {
        for kind in ChangeKind::ALL {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.name()));
            assert_eq!(ChangeKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(ChangeKind::from_name("vault-create"), None);
        assert!(ChangeKind::ItemDelete.is_item() && !ChangeKind::VersionCreate.is_item());
    }

    #[test]
    fn an_entry_whose_entity_is_gone_has_neither_item_nor_version() {
        let vault = "0192e4c0-0000-4000-8000-000000000001";
        let change = Change {
            created_at: Some("2026-01-02T03:04:05.678Z".parse().unwrap()),
            event: ChangeKind::VersionDelete,
            item: None,
            seq: 3,
            vault_id: vault.parse().unwrap(),
            version: None,
        };
        assert_eq!(
            serde_json::to_string(&change).unwrap(),
            format!(r#"{{"createdAt":"2026-01-02T03:04:05.678Z","event":"version-delete","seq":3,"vaultId":"{vault}"}}"#)
        );
    }
}
