//! An in-memory model of localful-server's sync semantics for one vault: idempotent push by client
//! id (items before versions, a tombstone deletes every version, a version of a deleted item is
//! stored deleted), a change log numbered by `seq` whose entries carry the entity as it is now,
//! and events to every other session. `crash_after` models a restart in the middle of a batch;
//! the server is `Clone`, so a copy is a backup that can be restored (losing the log after it).

use localful_core::wire::{
    Change, ChangeKind, ChangesPage, ErrorBody, ListingMeta, PushAck, PushOutcome, PushRequest, PushStatus, Snapshot, SnapshotItem,
    SnapshotMeta, SnapshotVersion, WireItem, WireVersion,
};
use localful_core::{ItemId, VaultId, VersionId};
use std::collections::BTreeMap;

#[derive(Clone, Copy)]
enum Ref {
    Item(ItemId),
    Version(VersionId),
}

#[derive(Clone)]
pub(crate) struct Server {
    pub(crate) vault: VaultId,
    pub(crate) items: BTreeMap<ItemId, WireItem>,
    pub(crate) versions: BTreeMap<VersionId, WireVersion>,
    log: Vec<(ChangeKind, Ref)>,
}

fn ok(id: String, status: PushStatus) -> PushOutcome {
    PushOutcome { id, ok: true, status: Some(status), error: None }
}

impl Server {
    pub(crate) fn new(vault: VaultId) -> Self {
        Self { vault, items: BTreeMap::new(), versions: BTreeMap::new(), log: Vec::new() }
    }

    pub(crate) fn latest_seq(&self) -> u64 {
        self.log.len() as u64
    }

    fn entry(&self, seq: u64) -> Option<Change> {
        let (event, r) = *self.log.get(seq.checked_sub(1)? as usize)?;
        let mut c = Change { seq, event, vault_id: self.vault, created_at: None, item: None, version: None };
        match r {
            Ref::Item(i) => c.item = self.items.get(&i).cloned(),
            Ref::Version(v) => c.version = self.versions.get(&v).cloned(),
        }
        Some(c)
    }

    fn record(&mut self, event: ChangeKind, r: Ref, events: &mut Vec<Change>) {
        self.log.push((event, r));
        if let Some(c) = self.entry(self.latest_seq()) {
            events.push(c);
        }
    }

    /// `GET /changes?since=&limit=`.
    pub(crate) fn changes(&self, since: u64, limit: u64) -> ChangesPage {
        let results: Vec<Change> =
            (since + 1..=self.latest_seq()).take(limit as usize).filter_map(|s| self.entry(s)).collect();
        let total = self.latest_seq().saturating_sub(since);
        ChangesPage {
            meta: ListingMeta {
                results: results.len() as u64,
                total,
                limit,
                offset: 0,
                latest_seq: Some(self.latest_seq()),
            },
            results,
        }
    }

    /// `GET /v1/vaults/:id/snapshot`.
    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            vault: None,
            meta: SnapshotMeta {
                latest_seq: self.latest_seq(),
                items: self.items.len() as u64,
                versions: self.versions.len() as u64,
            },
            items: self
                .items
                .values()
                .map(|i| SnapshotItem {
                    id: i.id,
                    collection: i.collection.clone(),
                    created_at: i.created_at,
                    deleted_at: i.deleted_at,
                })
                .collect(),
            versions: self
                .versions
                .values()
                .map(|v| SnapshotVersion {
                    id: v.id,
                    item_id: v.item_id,
                    created_at: v.created_at,
                    deleted_at: v.deleted_at,
                })
                .collect(),
        }
    }

    /// Applies a push; with `crash_after = Some(k)` only the first `k` entries are applied and no
    /// ack is produced. Returns the ack (if any) and the events to fan out.
    pub(crate) fn push(&mut self, req: &PushRequest, crash_after: Option<usize>) -> (Option<PushAck>, Vec<Change>) {
        let mut events = Vec::new();
        let mut budget = crash_after.unwrap_or(usize::MAX);
        let mut ack = PushAck { ok: true, ..PushAck::default() };
        for item in &req.items {
            if budget == 0 {
                return (None, events);
            }
            budget -= 1;
            let status = match self.items.get(&item.id).cloned() {
                Some(existing) => {
                    if let (None, Some(at)) = (existing.deleted_at, item.deleted_at) {
                        self.tombstone(item.id, at, &mut events);
                    }
                    PushStatus::Exists
                }
                None => {
                    self.items.insert(item.id, item.clone());
                    self.record(ChangeKind::ItemCreate, Ref::Item(item.id), &mut events);
                    PushStatus::Created
                }
            };
            ack.items.push(ok(item.id.to_string(), status));
        }
        for v in &req.versions {
            if budget == 0 {
                return (None, events);
            }
            budget -= 1;
            let Some(item) = self.items.get(&v.item_id).cloned() else {
                let error = ErrorBody {
                    status_code: 400,
                    identifier: "resource-relationship-invalid".into(),
                    message: "itemId does not name one of your items".into(),
                    context: None,
                };
                ack.versions.push(PushOutcome { id: v.id.to_string(), ok: false, status: None, error: Some(error) });
                continue;
            };
            let status = match self.versions.get(&v.id).cloned() {
                Some(existing) => {
                    if let (None, Some(at)) = (existing.deleted_at, v.deleted_at) {
                        let stored = self.versions.entry(v.id).or_insert(existing);
                        stored.deleted_at = Some(at);
                        stored.protected_data = None;
                        self.record(ChangeKind::VersionDelete, Ref::Version(v.id), &mut events);
                    }
                    PushStatus::Exists
                }
                None => {
                    let mut stored = v.clone();
                    if stored.deleted_at.is_none() {
                        stored.deleted_at = item.deleted_at;
                    }
                    if stored.deleted_at.is_some() {
                        stored.protected_data = None;
                    }
                    let kind =
                        if stored.deleted_at.is_some() { ChangeKind::VersionDelete } else { ChangeKind::VersionCreate };
                    self.versions.insert(v.id, stored);
                    self.record(kind, Ref::Version(v.id), &mut events);
                    PushStatus::Created
                }
            };
            ack.versions.push(ok(v.id.to_string(), status));
        }
        (Some(ack), events)
    }

    fn tombstone(&mut self, id: ItemId, at: localful_core::Timestamp, events: &mut Vec<Change>) {
        if let Some(item) = self.items.get_mut(&id) {
            item.deleted_at = Some(at);
        }
        for v in self.versions.values_mut().filter(|v| v.item_id == id && v.deleted_at.is_none()) {
            v.deleted_at = Some(at);
            v.protected_data = None;
        }
        self.record(ChangeKind::ItemDelete, Ref::Item(id), events);
    }
}
