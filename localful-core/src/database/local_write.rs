//! A local item write and the outbox entries it left, for its change event.

use super::VaultHandle;
use crate::model::ItemId;
use crate::store::{Pending, StoreError, StoredItem, ops, pending_left, pending_of};
use std::cell::RefCell;
use std::rc::Rc;

impl VaultHandle {
    /// Writes item `id` with `mutation` (one transaction) and returns the row written with the
    /// outbox entries the write left: those it added and those whose deletion state it changed
    /// (deleting an item changes its pending versions' too). The entries before the write are
    /// taken from the row the mutation itself reads, so no other writer comes in between.
    pub(super) async fn write_local(&self, id: ItemId, mutation: ops::Mutation) -> Result<(StoredItem, Vec<Pending>), StoreError> {
        let before: Rc<RefCell<Vec<Pending>>> = Rc::default();
        let seen = Rc::clone(&before);
        let recording: ops::Mutation = Box::new(move |row| {
            *seen.borrow_mut() = row.as_ref().map(pending_of).unwrap_or_default();
            mutation(row)
        });
        let after = self.store().write_item(self.id, id, recording).await?;
        let left = pending_left(&before.borrow(), &after);
        Ok((after, left))
    }
}
