//! `GET /v1/vaults/:id/snapshot`: every item and version id of a vault with its deletion state,
//! consistent with one `latestSeq` — the repair path of sync when the change log cannot answer.
//!
//! Fields are declared in the order the server writes them (alphabetical).

use crate::{ItemId, Timestamp, VersionId, WireVault};
use serde::{Deserialize, Serialize};

/// `meta` of a snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotMeta {
    /// Number of items.
    #[serde(default)]
    pub items: u64,
    /// The change-log `seq` the ids are consistent with: syncing resumes after it.
    pub latest_seq: u64,
    /// Number of versions.
    #[serde(default)]
    pub versions: u64,
}

/// An item of a snapshot: `{createdAt, deletedAt, id, type}` (everything a
/// [`WireItem`](crate::WireItem) carries but the vault).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotItem {
    /// Client-chosen creation time.
    pub created_at: Timestamp,
    /// The tombstone time, if deleted.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
    /// The item.
    pub id: ItemId,
    /// Its collection.
    #[serde(rename = "type")]
    pub collection: String,
}

/// A version of a snapshot: `{createdAt, deletedAt, id, itemId}` (no data: fetch it with
/// `GET /v1/versions/:id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotVersion {
    /// Client-chosen creation time.
    pub created_at: Timestamp,
    /// When it was deleted, if it was.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
    /// The version.
    pub id: VersionId,
    /// Its item.
    pub item_id: ItemId,
}

/// A vault's snapshot `{items, meta, vault, versions}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Every item, deleted ones included.
    #[serde(default)]
    pub items: Vec<SnapshotItem>,
    /// `latestSeq` and counts.
    pub meta: SnapshotMeta,
    /// The vault as it is now (the server always sends it; sync does not need it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vault: Option<WireVault>,
    /// Every version, deleted ones included.
    #[serde(default)]
    pub versions: Vec<SnapshotVersion>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_server_shape() {
        let json = r#"{
            "meta": {"latestSeq": 7, "items": 1, "versions": 1},
            "items": [{"id": "0192e4c0-0000-7000-8000-000000000001", "type": "notes",
                       "createdAt": "2026-01-02T03:04:05.678Z", "deletedAt": null}],
            "versions": [{"id": "0192e4c0-0000-7000-8000-000000000002",
                          "itemId": "0192e4c0-0000-7000-8000-000000000001",
                          "createdAt": "2026-01-02T03:04:05.678Z", "deletedAt": "2026-01-02T03:04:06.000Z"}]
        }"#;
        let s: Snapshot = serde_json::from_str(json).unwrap();
        assert_eq!(s.meta.latest_seq, 7);
        assert_eq!(s.items[0].collection, "notes");
        assert!(s.items[0].deleted_at.is_none());
        assert!(s.versions[0].deleted_at.is_some());
        assert_eq!(s.versions[0].item_id, s.items[0].id);
        assert_eq!(
            serde_json::to_string(&s.items[0]).unwrap(),
            r#"{"createdAt":"2026-01-02T03:04:05.678Z","deletedAt":null,"id":"0192e4c0-0000-7000-8000-000000000001","type":"notes"}"#
        );
    }
}
