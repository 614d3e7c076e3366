//! The store side of sync on a [`VaultHandle`]: read the outbox, build a push, clear acked
//! entries, apply server changes. The engine calls these for the sync machine's
//! [`Command`](crate::sync::Command)s; the machine itself ([`sync`](crate::sync)) does no IO.

use super::Remote;
use super::Replica;
use crate::error::Result;
use crate::model::{ItemId, Version, VersionId};
use crate::store::{OutboxEntry, Pending, StoredItem, pending_of};
use crate::wire::{Change, PushRequest, WireItem, WireVersion};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

impl Replica {
    /// The vault's outbox as the sync machine takes it ([`Input::Outbox`](crate::sync::Input::Outbox)).
    pub async fn outbox(&self) -> Result<Vec<Pending>> {
        Ok(self.pending().await?.iter().flat_map(pending_of).collect())
    }

    /// The `push` batch for `entries`, with each entity as it is now (a deletion without data).
    /// Entries whose item row is gone are left out.
    pub async fn push_payload(&self, entries: &[Pending]) -> Result<PushRequest> {
        let mut ids: Vec<ItemId> = entries.iter().map(Pending::item).collect();
        ids.sort();
        ids.dedup();
        let rows: BTreeMap<ItemId, StoredItem> =
            self.database().store().get_items(self.id(), &ids).await?.into_iter().map(|r| (r.item.id, r)).collect();
        let live: Vec<(ItemId, VersionId)> = entries
            .iter()
            .filter_map(|p| match p.entry {
                OutboxEntry::Version(i, v) => rows.get(&i)?.version(v).filter(|m| m.is_live()).map(|_| (i, v)),
                OutboxEntry::Item(_) => None,
            })
            .collect();
        let data: BTreeMap<VersionId, Version> = self.versions(&live).await?.into_iter().map(|v| (v.id, v)).collect();
        let mut push = PushRequest::default();
        for p in entries {
            match p.entry {
                OutboxEntry::Item(i) => {
                    if let Some(row) = rows.get(&i) {
                        push.items.push(WireItem::from(&row.item));
                    }
                }
                OutboxEntry::Version(i, v) => {
                    let Some(meta) = rows.get(&i).and_then(|r| r.version(v)) else {
                        continue;
                    };
                    let version = match (meta.is_live(), data.get(&v)) {
                        (true, Some(full)) => WireVersion::from(full),
                        (true, None) => continue,
                        (false, _) => WireVersion {
                            id: v,
                            item_id: i,
                            protected_data: None,
                            device_name: meta.device_name.clone(),
                            schema_version: meta.schema_version,
                            created_at: meta.created_at,
                            deleted_at: meta.deleted_at,
                        },
                    };
                    push.versions.push(version);
                }
            }
        }
        Ok(push)
    }

    /// Clears acked entries from the outbox, each only if its entity's deletion state is still the
    /// one pushed (a deletion made while the create was in flight stays pending). Returns what it
    /// cleared and what the acked items still have pending, so the caller need not read the
    /// outbox again. One transaction per item: on an error, the items before it are acked.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use localful_core::{testing::PlainCipher, Database, EventBus, MemoryStore, Replica, Schema};
    /// # use localful_core::Collection;
    /// # #[derive(serde::Serialize, serde::Deserialize)] struct Note { title: String }
    /// # impl Collection for Note { const NAME: &'static str = "notes"; }
    /// use std::rc::Rc;
    /// let db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "laptop");
    /// let vault = db.create_vault("Personal", "v1:protected").await?;
    /// let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(1))).await?;
    /// let id = handle.create(&Note { title: "a".into() }).await?;
    /// let replica = Replica::of(&handle);
    /// let pushed = replica.outbox().await?; // the item and its version
    /// handle.delete::<Note>(id).await?; // while the push is in flight
    /// let acked = replica.ack_pushed(&pushed).await?;
    /// assert!(acked.cleared.is_empty(), "both were deleted since: pushed as they were, not cleared");
    /// assert_eq!(acked.pending, replica.outbox().await?, "the deletions are still to push");
    /// # Ok::<(), localful_core::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn ack_pushed(&self, acked: &[Pending]) -> Result<AckOutcome> {
        let mut by_item: BTreeMap<ItemId, Vec<Pending>> = BTreeMap::new();
        for p in acked {
            by_item.entry(p.item()).or_default().push(*p);
        }
        let outcome = Rc::new(RefCell::new(AckOutcome::default()));
        let record = Rc::clone(&outcome);
        self.edit_outboxes(by_item, move |row, entries: Vec<Pending>| {
            let unchanged = pending_of(row);
            let done: Vec<Pending> = entries.into_iter().filter(|p| unchanged.contains(p)).collect();
            row.outbox.retain(|e| !done.iter().any(|p| p.entry == *e));
            let mut outcome = record.borrow_mut();
            outcome.pending.extend(unchanged.into_iter().filter(|p| !done.contains(p)));
            outcome.cleared.extend(done);
        })
        .await?;
        Ok(outcome.take())
    }

    /// Applies server changes in order (idempotent: a change already here is a no-op), emitting
    /// change events so every tab updates. Stops at the first failure.
    ///
    /// A page is written in one store transaction when it can be (one event per collection and
    /// action); otherwise — a collection this context does not know, a change the rules refuse, a
    /// racing local write — change by change, with the same result.
    pub async fn apply_changes(&self, changes: &[Change]) -> Result<()> {
        let page: Vec<Remote> = changes
            .iter()
            .filter(|c| c.vault_id == self.id())
            .flat_map(|c| {
                let item = c.item.clone().map(|i| Remote::Item(i.into()));
                item.into_iter().chain(c.version.clone().map(|v| Remote::Version(v.into())))
            })
            .collect();
        if page.len() > 1 && self.apply_remote_page(page).await? {
            return Ok(());
        }
        for change in changes {
            if change.vault_id != self.id() {
                continue;
            }
            if let Some(item) = &change.item {
                self.apply_remote_item(item.clone().into()).await?;
            }
            if let Some(version) = &change.version {
                self.apply_remote_version(version.clone().into()).await?;
            }
        }
        Ok(())
    }
}

/// What [`Replica::ack_pushed`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AckOutcome {
    /// The acked entries it cleared from the outbox.
    pub cleared: Vec<Pending>,
    /// The outbox entries the acked items still hold after the ack, as they are now: acked ones
    /// whose entity was deleted since it was pushed (the deletion is still to push), and entries
    /// of those items that were not in the push.
    pub pending: Vec<Pending>,
}
