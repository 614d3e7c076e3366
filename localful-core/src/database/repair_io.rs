//! The store side of a repair on a [`VaultHandle`]: read the local rows into a [`RepairPlan`],
//! then apply what the server has and queue again what it lacks.

use super::Replica;
use crate::sync::RepairPlan;
use crate::error::Result;
use crate::model::ItemId;
use crate::store::OutboxEntry;
use crate::wire::{Snapshot, WireVersion};
use std::collections::BTreeMap;

impl Replica {
    /// Diffs the server's `snapshot` against every local row of this vault.
    pub async fn plan_repair(&self, snapshot: &Snapshot) -> Result<RepairPlan> {
        let rows = self.database().store().all_items(self.id()).await?;
        Ok(RepairPlan::diff(self.id(), snapshot, &rows))
    }

    /// Carries out `plan`: applies its items, then `versions` (the ones of
    /// [`RepairPlan::fetch`] the server returned), then adds its
    /// [`requeue`](RepairPlan::requeue) entries to the outbox. Applying is idempotent and emits
    /// the usual change events; a failure leaves what was written (all of it safe to redo).
    pub async fn apply_repair(&self, plan: &RepairPlan, versions: &[WireVersion]) -> Result<()> {
        for item in &plan.items {
            self.apply_remote_item(item.clone().into()).await?;
        }
        for version in versions {
            self.apply_remote_version(version.clone().into()).await?;
        }
        let mut by_item: BTreeMap<ItemId, Vec<OutboxEntry>> = BTreeMap::new();
        for entry in &plan.requeue {
            let (OutboxEntry::Item(id) | OutboxEntry::Version(id, _)) = *entry;
            by_item.entry(id).or_default().push(*entry);
        }
        self.edit_outboxes(by_item, |row, entries| {
            for e in entries {
                row.push_outbox(e);
            }
        })
        .await?;
        Ok(())
    }
}
