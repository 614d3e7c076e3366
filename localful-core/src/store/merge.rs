//! A batch read-merge-write ([`Store::merge_items`](crate::Store::merge_items)): one transaction
//! reads many item rows, a pure function decides what to write from them, and the writes are made
//! in that same transaction. Nothing can change the rows between the read and the write, so the
//! caller needs no second read to check for a racing writer.

use super::{ItemWrite, StoreError, StoredItem};
use crate::model::ItemId;
use std::collections::BTreeSet;

/// Decides the writes of a [`Store::merge_items`](crate::Store::merge_items) from the item rows read
/// in its transaction: given one entry per requested id (in their order; `None` where there is no
/// row), it returns one entry per id — `Some(write)` to write that item, `None` to leave it as it
/// is. It runs synchronously inside the transaction (it must not wait on anything); if it fails,
/// nothing is written and its error is the operation's.
pub type Merge<'a> = Box<dyn FnOnce(&[Option<StoredItem>]) -> Result<Vec<Option<ItemWrite>>, StoreError> + 'a>;

/// One item of a [`Store::merge_items`](crate::Store::merge_items): its row as read in the
/// transaction, and as written (`None` when the merge left it as it was).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergedItem {
    /// The row read (`None`: the item had no row).
    pub before: Option<StoredItem>,
    /// The row written, if the merge wrote one.
    pub after: Option<StoredItem>,
}

/// Refuses a batch naming an item twice ([`StoreError::Constraint`]), before anything is read.
pub(crate) fn distinct(ids: &[ItemId]) -> Result<(), StoreError> {
    let mut seen = BTreeSet::new();
    match ids.iter().find(|id| !seen.insert(**id)) {
        Some(id) => Err(StoreError::Constraint(format!("item {id} written twice in one batch"))),
        None => Ok(()),
    }
}

/// Checks a merge's answer against the ids it was given: one entry per id, each write under its
/// own id ([`StoreError::Constraint`] otherwise).
pub(crate) fn check(ids: &[ItemId], writes: &[Option<ItemWrite>]) -> Result<(), StoreError> {
    if writes.len() != ids.len() {
        return Err(StoreError::Constraint(format!("a merge of {} items answered {} entries", ids.len(), writes.len())));
    }
    for (id, write) in ids.iter().zip(writes) {
        if let Some(write) = write.as_ref().filter(|w| w.item.item.id != *id) {
            return Err(StoreError::Constraint(format!("item row {} written under key {id}", write.item.item.id)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::{Item, Timestamp, VaultId};

    fn write(id: ItemId) -> ItemWrite {
        let at = Timestamp::from_unix_millis(1_000).unwrap();
        let item = Item {
            id,
            vault_id: VaultId::new(),
            collection: "notes".into(),
            created_at: at,
            deleted_at: None,
            current_version_id: None,
            exposed: Default::default(),
        };
        ItemWrite::item_only(StoredItem { item, versions: Vec::new(), outbox: Vec::new(), exposed_by: String::new() })
    }

    #[test]
    fn an_id_twice_is_refused() {
        let (a, b) = (ItemId::new(), ItemId::new());
        assert_eq!(distinct(&[a, b]), Ok(()));
        assert!(matches!(distinct(&[a, b, a]), Err(StoreError::Constraint(_))));
    }

    #[test]
    fn the_answer_has_one_entry_per_id_each_under_its_id() {
        let (a, b) = (ItemId::new(), ItemId::new());
        assert_eq!(check(&[a, b], &[Some(write(a)), None]), Ok(()));
        assert!(matches!(check(&[a, b], &[Some(write(a))]), Err(StoreError::Constraint(_))), "too few");
        assert!(matches!(check(&[a, b], &[None, Some(write(a))]), Err(StoreError::Constraint(_))), "wrong key");
    }
}
