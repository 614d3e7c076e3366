//! The record of an item row as IndexedDB stores it (the row's `r`): a [`StoredItem`] without what
//! the row already says (the item's id is the row's key, its vault is the database) and with each
//! version's metadata as an array, `[id, createdAt, device, schemaVersion]` plus a fifth element
//! when deleted, instead of an object naming every field.
//!
//! IndexedDB's cost is per byte (see the initial-sync benchmark in `benches/README.md`), and an
//! item row is rewritten by every change to its item: with every version's metadata as objects, a
//! row of ten versions was about 1.5 KB of JSON; this is about half. Rows of format 2 and 3 hold
//! this record; rows of format 1 hold the whole [`StoredItem`] as JSON in `d` instead; [`read`]
//! takes either.

use crate::model::{ExposedValues, Item, ItemId, Timestamp, VaultId, VersionId, VersionMeta};
use crate::store::{OutboxEntry, StoreError, StoredItem};
use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The record of `row`, as JSON.
pub(crate) fn write(row: &StoredItem) -> Result<String, StoreError> {
    let item = &row.item;
    let record = RecordRef {
        collection: &item.collection,
        created_at: &item.created_at,
        deleted_at: &item.deleted_at,
        current: &item.current_version_id,
        exposed: &item.exposed,
        versions: row.versions.iter().map(MetaRef).collect(),
        outbox: &row.outbox,
        exposed_by: &row.exposed_by,
    };
    serde_json::to_string(&record).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The item row of item `id` in vault `vault` from its record `json` (written by [`write`]).
pub(crate) fn read(json: &str, id: ItemId, vault: VaultId) -> Result<StoredItem, StoreError> {
    let r: Record = serde_json::from_str(json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(StoredItem {
        item: Item {
            id,
            vault_id: vault,
            collection: r.collection,
            created_at: r.created_at,
            deleted_at: r.deleted_at,
            current_version_id: r.current,
            exposed: r.exposed,
        },
        versions: r.versions.into_iter().map(|m| m.0).collect(),
        outbox: r.outbox,
        exposed_by: r.exposed_by,
    })
}

fn is_none<T>(v: &&Option<T>) -> bool {
    v.is_none()
}

#[derive(Serialize)]
struct RecordRef<'a> {
    #[serde(rename = "c")]
    collection: &'a str,
    #[serde(rename = "t")]
    created_at: &'a Timestamp,
    #[serde(rename = "x", skip_serializing_if = "is_none")]
    deleted_at: &'a Option<Timestamp>,
    #[serde(rename = "cv", skip_serializing_if = "is_none")]
    current: &'a Option<VersionId>,
    #[serde(rename = "e", skip_serializing_if = "no_exposed")]
    exposed: &'a ExposedValues,
    #[serde(rename = "v")]
    versions: Vec<MetaRef<'a>>,
    #[serde(rename = "o", skip_serializing_if = "no_outbox")]
    outbox: &'a [OutboxEntry],
    #[serde(rename = "s", skip_serializing_if = "no_text")]
    exposed_by: &'a str,
}

#[derive(Deserialize)]
struct Record {
    #[serde(rename = "c")]
    collection: String,
    #[serde(rename = "t")]
    created_at: Timestamp,
    #[serde(rename = "x", default)]
    deleted_at: Option<Timestamp>,
    #[serde(rename = "cv", default)]
    current: Option<VersionId>,
    #[serde(rename = "e", default)]
    exposed: ExposedValues,
    #[serde(rename = "v", default)]
    versions: Vec<Meta>,
    #[serde(rename = "o", default)]
    outbox: Vec<OutboxEntry>,
    #[serde(rename = "s", default)]
    exposed_by: String,
}

fn no_exposed(v: &&ExposedValues) -> bool {
    v.is_empty()
}

fn no_outbox(v: &&[OutboxEntry]) -> bool {
    v.is_empty()
}

fn no_text(v: &&str) -> bool {
    v.is_empty()
}

/// A version's metadata written as `[id, createdAt, device, schemaVersion(, deletedAt)]`.
struct MetaRef<'a>(&'a VersionMeta);

impl Serialize for MetaRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut seq = serializer.serialize_seq(Some(if m.deleted_at.is_some() { 5 } else { 4 }))?;
        seq.serialize_element(&m.id)?;
        seq.serialize_element(&m.created_at)?;
        seq.serialize_element(&m.device_name)?;
        seq.serialize_element(&m.schema_version)?;
        if let Some(at) = &m.deleted_at {
            seq.serialize_element(at)?;
        }
        seq.end()
    }
}

/// A version's metadata read from its array.
struct Meta(VersionMeta);

impl<'de> Deserialize<'de> for Meta {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MetaVisitor;
        impl<'de> Visitor<'de> for MetaVisitor {
            type Value = Meta;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[id, createdAt, device, schemaVersion] or with a fifth deletedAt")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Meta, A::Error> {
                let missing = |n| de::Error::invalid_length(n, &self);
                let id = seq.next_element()?.ok_or_else(|| missing(0))?;
                let created_at = seq.next_element()?.ok_or_else(|| missing(1))?;
                let device_name = seq.next_element()?.ok_or_else(|| missing(2))?;
                let schema_version = seq.next_element()?.ok_or_else(|| missing(3))?;
                let deleted_at = seq.next_element()?;
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(6, &self));
                }
                Ok(Meta(VersionMeta { id, created_at, device_name, schema_version, deleted_at }))
            }
        }
        deserializer.deserialize_seq(MetaVisitor)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::Exposed;

    fn row() -> StoredItem {
        let at = |ms| Timestamp::from_unix_millis(ms).unwrap();
        let id = ItemId::new();
        let (v1, v2) = (VersionId::new(), VersionId::new());
        let meta = |id, ms, deleted| VersionMeta {
            id,
            created_at: at(ms),
            device_name: "phone \"one\"".into(),
            schema_version: 2,
            deleted_at: deleted,
        };
        let exposed: Exposed = Exposed { values: [("title".to_string(), serde_json::json!("Hi"))].into(), signature: "sig".into() };
        StoredItem {
            item: Item {
                id,
                vault_id: VaultId::new(),
                collection: "notes".into(),
                created_at: at(1_000),
                deleted_at: None,
                current_version_id: Some(v2),
                exposed: exposed.values,
            },
            versions: vec![meta(v1, 2_000, Some(at(4_000))), meta(v2, 3_000, None)],
            outbox: vec![OutboxEntry::Item(id), OutboxEntry::Version(id, v2)],
            exposed_by: exposed.signature,
        }
    }

    #[test]
    fn a_row_round_trips_in_about_half_the_bytes() {
        let full = row();
        let json = write(&full).unwrap();
        assert_eq!(read(&json, full.item.id, full.item.vault_id).unwrap(), full);
        let legacy = serde_json::to_string(&full).unwrap();
        assert!(json.len() * 10 < legacy.len() * 7, "{} bytes against {}: {json}", json.len(), legacy.len());

        // A tombstone without versions, outbox or exposed fields keeps only what it has.
        let mut bare = row();
        bare.item.deleted_at = Some(Timestamp::from_unix_millis(9_000).unwrap());
        bare.item.current_version_id = None;
        bare.item.exposed.clear();
        bare.versions.clear();
        bare.outbox.clear();
        bare.exposed_by.clear();
        let json = write(&bare).unwrap();
        assert_eq!(read(&json, bare.item.id, bare.item.vault_id).unwrap(), bare);
        assert!(!json.contains("\"o\"") && !json.contains("\"e\"") && !json.contains("\"cv\""), "{json}");
    }

    #[test]
    fn a_malformed_record_is_corrupt() {
        let (id, vault) = (ItemId::new(), VaultId::new());
        for bad in ["{", "{\"t\":\"2026-01-01T00:00:00Z\",\"v\":[]}", "{\"c\":\"n\",\"t\":\"2026-01-01T00:00:00Z\",\"v\":[[1]]}"] {
            assert!(matches!(read(bad, id, vault), Err(StoreError::Corrupt(_))), "{bad}");
        }
    }
}
