//! The pure item mutations every store applies atomically: create, new version, tombstone, version
//! deletion, prune, remote application and outbox acknowledgement.
//!
//! Each returns a [`Mutation`]: a function from the item row read inside the write transaction to
//! the rows to write. Backends run it between their read and their write, in one transaction, so
//! the rules (last write wins, tombstones, outbox) live here once and are tested natively.

use super::{ItemWrite, OutboxEntry, StoreError, StoredItem};
pub use crate::model::Exposed;
use crate::model::{Item, ItemId, Timestamp, Version, VersionId, VersionMeta};

/// A pure item mutation, run by [`Store::write_item`](crate::Store::write_item) inside its transaction.
pub type Mutation = Box<dyn FnOnce(Option<StoredItem>) -> Result<ItemWrite, StoreError>>;

/// The exposed fields of the version the caller expects to be current after a write.
///
/// If the write makes another version current than the one named here, it fails with
/// [`StoreError::Conflict`] (nothing written) and the caller reads again and retries.
pub type ExposedFor = Option<(VersionId, Exposed)>;

/// Which old versions [`prune`] deletes. The current version is always kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prune {
    /// Keep the newest `n` live versions (at least the current one).
    KeepNewest(usize),
    /// Keep versions created at or after this time (and the current one).
    NewerThan(Timestamp),
}

fn settle_current(row: &mut StoredItem, exposed_for: ExposedFor) -> Result<(), StoreError> {
    let new_current = row.current().map(|v| v.id);
    if new_current == row.item.current_version_id {
        return Ok(());
    }
    match (new_current, exposed_for) {
        (None, _) => {
            row.item.current_version_id = None;
            row.item.exposed.clear();
            Ok(())
        }
        (Some(id), Some((expected, exposed))) if id == expected => {
            row.item.current_version_id = Some(id);
            row.item.exposed = exposed.values;
            row.exposed_by = exposed.signature;
            Ok(())
        }
        _ => Err(StoreError::Conflict),
    }
}

fn live_row(id: ItemId, row: Option<StoredItem>) -> Result<StoredItem, StoreError> {
    let row = row.ok_or(StoreError::ItemNotFound(id))?;
    if row.item.is_live() { Ok(row) } else { Err(StoreError::ItemDeleted(id)) }
}

/// Creates `item` with its first `version`, whose data has the `exposed` fields.
pub fn create(item: Item, version: Version, exposed: Exposed) -> Mutation {
    Box::new(move |existing| {
        if existing.is_some() {
            return Err(StoreError::ItemExists(item.id));
        }
        Ok(new_item(item, version, exposed))
    })
}

/// The rows of a new item holding `version` (its first), with the `exposed` fields, both in the
/// outbox: what [`create`] writes, for [`Store::insert_items`](super::Store::insert_items), which
/// needs no read of an existing row.
pub fn new_item(mut item: Item, version: Version, exposed: Exposed) -> ItemWrite {
    item.current_version_id = Some(version.id);
    item.exposed = exposed.values;
    item.deleted_at = None;
    let id = item.id;
    let row = StoredItem {
        item,
        versions: vec![VersionMeta::of(&version)],
        outbox: vec![OutboxEntry::Item(id), OutboxEntry::Version(id, version.id)],
        exposed_by: exposed.signature,
    };
    ItemWrite { item: row, put_versions: vec![version], drop_versions: Vec::new() }
}

/// Adds a new version (an update or a restore) whose data has the `exposed` fields.
pub fn add_version(version: Version, exposed: Exposed) -> Mutation {
    // The version's `created_at` may move forward (see below); its data is unaffected.
    Box::new(move |existing| {
        let mut row = live_row(version.item_id, existing)?;
        let mut version = version;
        // A local write always wins over what this device already has, even within one
        // millisecond or after a clock step back: it is dated after the current version.
        if let Some(current) = row.current().filter(|c| version.created_at <= c.created_at) {
            let next = current.created_at.unix_millis().saturating_add(1);
            version.created_at = Timestamp::from_unix_millis(next).unwrap_or(current.created_at);
        }
        if row.version(version.id).is_some() {
            return Err(StoreError::Constraint(format!("version {} already exists", version.id)));
        }
        row.versions.push(VersionMeta::of(&version));
        row.push_outbox(OutboxEntry::Version(version.item_id, version.id));
        settle_current(&mut row, Some((version.id, exposed)))?;
        Ok(ItemWrite { item: row, put_versions: vec![version], drop_versions: Vec::new() })
    })
}

fn tombstone(row: &mut StoredItem, at: Timestamp) -> Vec<VersionId> {
    row.item.deleted_at = Some(at);
    row.item.current_version_id = None;
    row.item.exposed.clear();
    let mut dropped = Vec::new();
    for v in &mut row.versions {
        if v.deleted_at.is_none() {
            v.deleted_at = Some(at);
            dropped.push(v.id);
        }
    }
    dropped
}

/// Deletes item `id`: a tombstone stays, every version's data is dropped.
pub fn delete_item(id: ItemId, at: Timestamp) -> Mutation {
    Box::new(move |existing| {
        let mut row = live_row(id, existing)?;
        let dropped = tombstone(&mut row, at);
        row.push_outbox(OutboxEntry::Item(id));
        Ok(ItemWrite { item: row, put_versions: Vec::new(), drop_versions: dropped })
    })
}

/// Deletes one version of item `item_id`; `exposed_for` names the version expected to be current
/// afterwards (needed when the current version is the one deleted).
pub fn delete_version(item_id: ItemId, id: VersionId, at: Timestamp, exposed_for: ExposedFor) -> Mutation {
    Box::new(move |existing| {
        let mut row = live_row(item_id, existing)?;
        let live = row.versions.iter().filter(|v| v.is_live()).count();
        let meta = row.versions.iter_mut().find(|v| v.id == id && v.is_live());
        let meta = meta.ok_or(StoreError::VersionNotFound(id))?;
        if live == 1 {
            return Err(StoreError::LastVersion(id));
        }
        meta.deleted_at = Some(at);
        row.push_outbox(OutboxEntry::Version(item_id, id));
        settle_current(&mut row, exposed_for)?;
        Ok(ItemWrite { item: row, put_versions: Vec::new(), drop_versions: vec![id] })
    })
}

/// Deletes the old versions of item `item_id` that `rule` does not keep.
pub fn prune(item_id: ItemId, rule: Prune, at: Timestamp) -> Mutation {
    Box::new(move |existing| {
        let mut row = live_row(item_id, existing)?;
        let current = row.item.current_version_id;
        let mut live: Vec<_> = row.versions.iter().filter(|v| v.is_live()).map(|v| v.lww_key()).collect();
        live.sort_by(|a, b| b.cmp(a));
        let doomed: Vec<VersionId> = live
            .iter()
            .enumerate()
            .filter(|(rank, (created, id))| {
                Some(*id) != current
                    && match rule {
                        Prune::KeepNewest(n) => *rank >= n,
                        Prune::NewerThan(t) => *created < t,
                    }
            })
            .map(|(_, (_, id))| *id)
            .collect();
        for v in &mut row.versions {
            if doomed.contains(&v.id) {
                v.deleted_at = Some(at);
            }
        }
        for id in &doomed {
            row.push_outbox(OutboxEntry::Version(item_id, *id));
        }
        Ok(ItemWrite { item: row, put_versions: Vec::new(), drop_versions: doomed })
    })
}

/// Applies an item received from the server: creates it (without versions yet) or applies its
/// tombstone. Idempotent; writes no outbox entry.
///
/// A tombstone keeps this device's pending version entries: those versions are pushed as
/// deletions (without data), so the server, and through it every device, learns their ids — every
/// device ends with the same version ids, deleted ones included.
pub fn apply_remote_item(item: Item) -> Mutation {
    Box::new(move |existing| {
        let Some(mut row) = existing else {
            let mut item = item;
            item.current_version_id = None;
            item.exposed.clear();
            return Ok(ItemWrite::item_only(StoredItem { item, versions: Vec::new(), outbox: Vec::new(), exposed_by: String::new() }));
        };
        match (row.item.deleted_at, item.deleted_at) {
            (None, Some(at)) => {
                let dropped = tombstone(&mut row, at);
                Ok(ItemWrite { item: row, put_versions: Vec::new(), drop_versions: dropped })
            }
            _ => Ok(ItemWrite::item_only(row)),
        }
    })
}

/// Applies a version received from the server (new, or its deletion). Idempotent; writes no outbox
/// entry. On a deleted item the tombstone wins: a version this device does not know is recorded
/// deleted, without its data (another device wrote it before it saw the deletion), so every device
/// holds the same version ids.
pub fn apply_remote_version(version: Version, exposed_for: ExposedFor) -> Mutation {
    Box::new(move |existing| {
        let item_id = version.item_id;
        let mut row = existing.ok_or(StoreError::ItemNotFound(item_id))?;
        if !row.item.is_live() {
            if row.version(version.id).is_none() {
                let mut meta = VersionMeta::of(&version);
                meta.deleted_at = version.deleted_at.or(row.item.deleted_at);
                row.versions.push(meta);
            }
            return Ok(ItemWrite::item_only(row));
        }
        let mut put = Vec::new();
        let mut dropped = Vec::new();
        match row.versions.iter_mut().find(|v| v.id == version.id) {
            Some(meta) => {
                if let (None, Some(at)) = (meta.deleted_at, version.deleted_at) {
                    meta.deleted_at = Some(at);
                    dropped.push(version.id);
                }
            }
            None => {
                row.versions.push(VersionMeta::of(&version));
                if version.is_live() && version.protected_data.is_some() {
                    put.push(version);
                }
            }
        }
        settle_current(&mut row, exposed_for)?;
        Ok(ItemWrite { item: row, put_versions: put, drop_versions: dropped })
    })
}

/// Recomputes the exposed fields of item `item_id` from its current version `current` (after the
/// collection's exposed fields changed). Fails with [`StoreError::Conflict`] if another version
/// became current meanwhile.
pub fn refresh_exposed(item_id: ItemId, current: VersionId, exposed: Exposed) -> Mutation {
    Box::new(move |existing| {
        let mut row = existing.ok_or(StoreError::ItemNotFound(item_id))?;
        if row.item.current_version_id != Some(current) {
            return Err(StoreError::Conflict);
        }
        row.item.exposed = exposed.values;
        row.exposed_by = exposed.signature;
        Ok(ItemWrite::item_only(row))
    })
}

/// Runs `mutation` only if the item is in `collection` ([`StoreError::WrongCollection`] otherwise),
/// so a typed write checks the item's type in its own transaction.
pub fn in_collection(collection: String, mutation: Mutation) -> Mutation {
    Box::new(move |existing| match &existing {
        Some(row) if row.item.collection != collection => {
            Err(StoreError::WrongCollection { expected: collection, found: row.item.collection.clone() })
        }
        _ => mutation(existing),
    })
}

/// Removes acknowledged `entries` from item `item_id`'s outbox.
pub fn ack(item_id: ItemId, entries: Vec<OutboxEntry>) -> Mutation {
    Box::new(move |existing| {
        let mut row = existing.ok_or(StoreError::ItemNotFound(item_id))?;
        row.outbox.retain(|e| !entries.contains(e));
        Ok(ItemWrite::item_only(row))
    })
}

#[cfg(test)]
mod tests;
