//! [`Replica`]: the side of an open vault the sync engine uses.

use super::VaultHandle;
use crate::error::Result;
use crate::model::ItemId;
use crate::store::{ItemWrite, StoreError, StoredItem};
use std::collections::BTreeMap;
use std::ops::Deref;

/// An open vault as the sync engine (the worker) sees it: it applies what the server sent
/// ([`apply_changes`](Self::apply_changes), [`apply_remote_item`](Self::apply_remote_item),
/// [`apply_remote_version`](Self::apply_remote_version)), reads and clears the outbox
/// ([`outbox`](Self::outbox), [`push_payload`](Self::push_payload),
/// [`ack_pushed`](Self::ack_pushed)), repairs from a server snapshot, and keeps its own settings
/// ([`meta`](Self::meta)). An app never needs it: it reads and writes through [`VaultHandle`],
/// which a replica also derefs to.
///
/// # Example
/// ```
/// # futures::executor::block_on(async {
/// use localful_core::{testing::PlainCipher, Database, EventBus, MemoryStore, Replica, Schema};
/// use std::rc::Rc;
///
/// let db = Database::new(Rc::new(MemoryStore::new()), Schema::new(), EventBus::local(), "laptop");
/// let vault = db.create_vault("Personal", "v1:protected").await?;
/// let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(1))).await?;
/// let replica = Replica::of(&handle);
/// assert!(replica.outbox().await?.is_empty()); // nothing written yet, nothing to push
/// # Ok::<(), localful_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct Replica(VaultHandle);

impl Replica {
    /// The engine's side of `handle`'s vault.
    pub fn of(handle: &VaultHandle) -> Self {
        Self(handle.clone())
    }

    /// The app-facing handle of the same vault.
    pub fn handle(&self) -> &VaultHandle {
        &self.0
    }

    /// Edits the sync state of the item rows named in `edits` — one store transaction per item,
    /// in id order — with `edit(row, what)`, which changes the row's outbox only. An item gone
    /// from the store is skipped (nothing of it is left to push); any other failure stops there,
    /// leaving the items before it edited.
    pub(super) async fn edit_outboxes<T: 'static>(
        &self,
        edits: BTreeMap<ItemId, T>,
        edit: impl Fn(&mut StoredItem, T) + Clone + 'static,
    ) -> Result<()> {
        for (id, what) in edits {
            let edit = edit.clone();
            let written = self
                .database()
                .store()
                .write_item(
                    self.id(),
                    id,
                    Box::new(move |row| {
                        let mut row = row.ok_or(StoreError::ItemNotFound(id))?;
                        edit(&mut row, what);
                        Ok(ItemWrite::item_only(row))
                    }),
                )
                .await;
            match written {
                Ok(_) | Err(StoreError::ItemNotFound(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}

impl From<VaultHandle> for Replica {
    fn from(handle: VaultHandle) -> Self {
        Self(handle)
    }
}

impl Deref for Replica {
    type Target = VaultHandle;
    fn deref(&self) -> &VaultHandle {
        &self.0
    }
}
