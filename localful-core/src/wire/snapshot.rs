//! `GET /v1/vaults/:id/snapshot`: every item and version id of a vault with its deletion state,
//! consistent with one `latestSeq` — the repair path of sync when the change log cannot answer.

use crate::model::{ItemId, Timestamp, VersionId};
use serde::{Deserialize, Serialize};

/// `meta` of a snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotMeta {
    /// The change-log `seq` the ids are consistent with: syncing resumes after it.
    pub latest_seq: u64,
    /// Number of items.
    #[serde(default)]
    pub items: u64,
    /// Number of versions.
    #[serde(default)]
    pub versions: u64,
}

/// An item of a snapshot: `{id, type, createdAt, deletedAt}` (everything a
/// [`WireItem`](super::WireItem) carries but the vault).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotItem {
    /// The item.
    pub id: ItemId,
    /// Its collection.
    #[serde(rename = "type")]
    pub collection: String,
    /// Client-chosen creation time.
    pub created_at: Timestamp,
    /// The tombstone time, if deleted.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
}

/// A version of a snapshot: `{id, itemId, createdAt, deletedAt}` (no data: fetch it with
/// `GET /v1/versions/:id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotVersion {
    /// The version.
    pub id: VersionId,
    /// Its item.
    pub item_id: ItemId,
    /// Client-chosen creation time.
    pub created_at: Timestamp,
    /// When it was deleted, if it was.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
}

/// A vault's snapshot `{meta, items, versions}` (the `vault` the server also sends is not read).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `latestSeq` and counts.
    pub meta: SnapshotMeta,
    /// Every item, deleted ones included.
    #[serde(default)]
    pub items: Vec<SnapshotItem>,
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
            "vault": {"id": "ignored"},
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
    }
}
