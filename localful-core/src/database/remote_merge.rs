//! The pure merge of a page of server changes into the item rows read in the write transaction
//! (the single-read fast path of [`VaultHandle::apply_remote_page`](super::VaultHandle)).
//!
//! Each item's changes run in order on its row with the same [`ops`] mutations as one by one, so
//! the same rules apply. What one by one learns by awaiting — the exposed fields of a version that
//! becomes current — comes from the page's own versions, decrypted before the transaction; when a
//! change needs anything else (a stored version's data, a collection this context does not know)
//! or a rule refuses it, the merge fails with [`StoreError::Conflict`] and writes nothing, and the
//! caller takes a slower path that can await.

use super::remote_batch::{Remote, simulate_version};
use crate::collection::Schema;
use crate::model::{ItemId, VersionId};
use crate::store::{ItemWrite, StoreError, StoredItem, ops};
use serde_json::Value;
use std::collections::HashMap;

/// The page's changes grouped by item, in the order each item first appears.
pub(super) struct Page {
    /// The items, in order.
    pub(super) ids: Vec<ItemId>,
    /// Each item's changes, in server order (the same index as `ids`).
    pub(super) changes: Vec<Vec<Remote>>,
}

impl Page {
    /// Groups `changes` by item.
    pub(super) fn of(changes: Vec<Remote>) -> Self {
        let mut index: HashMap<ItemId, usize> = HashMap::new();
        let mut page = Page { ids: Vec::new(), changes: Vec::new() };
        for change in changes {
            let id = change.item_id();
            let slot = *index.entry(id).or_insert_with(|| {
                page.ids.push(id);
                page.changes.push(Vec::new());
                page.ids.len() - 1
            });
            page.changes[slot].push(change);
        }
        page
    }
}

/// The page's writes, one per item of `page` (`None`: the item is left as it is), from `rows` as
/// read in the transaction. `data` holds the decrypted JSON of the page's live versions.
pub(super) fn merge_page(
    schema: &Schema,
    page: &Page,
    rows: &[Option<StoredItem>],
    mut data: HashMap<VersionId, Value>,
) -> Result<Vec<Option<ItemWrite>>, StoreError> {
    let mut out = Vec::with_capacity(page.ids.len());
    for (row, changes) in rows.iter().zip(&page.changes) {
        out.push(merge_item(schema, row.as_ref(), changes, &mut data)?);
    }
    Ok(out)
}

/// Runs `changes` in order on `row`, as one write; `None` if they change nothing.
fn merge_item(
    schema: &Schema,
    row: Option<&StoredItem>,
    changes: &[Remote],
    data: &mut HashMap<VersionId, Value>,
) -> Result<Option<ItemWrite>, StoreError> {
    let mut current = row.cloned();
    let mut out: Option<ItemWrite> = None;
    for change in changes {
        let mutation = match change {
            Remote::Item(item) => ops::apply_remote_item(item.clone()),
            Remote::Version(version) => {
                // A version without its item is refused by the rules: the slow path says so.
                let Some(now) = current.as_ref() else { return Err(StoreError::Conflict) };
                let def = schema.get(&now.item.collection).ok_or(StoreError::Conflict)?;
                let incoming = match (&version.protected_data, version.deleted_at) {
                    (Some(_), None) => {
                        let raw = data.remove(&version.id).ok_or(StoreError::Conflict)?;
                        Some(def.migrate(version.schema_version, raw).map_err(|_| StoreError::Conflict)?)
                    }
                    _ => None,
                };
                let exposed_for = if now.item.is_live() {
                    let mut after = now.clone();
                    simulate_version(&mut after, version);
                    match after.current().map(|v| v.id) {
                        None => None,
                        Some(next) if Some(next) == now.item.current_version_id => None,
                        // The new current version is this one: its data is at hand.
                        Some(next) if next == version.id => match &incoming {
                            Some(value) => Some((next, def.exposed(value))),
                            None => return Err(StoreError::Conflict),
                        },
                        // Another (stored) version becomes current: its data must be read first.
                        Some(_) => return Err(StoreError::Conflict),
                    }
                } else {
                    None
                };
                ops::apply_remote_version(version.clone(), exposed_for)
            }
        };
        let step = mutation(current.take()).map_err(|_| StoreError::Conflict)?;
        current = Some(step.item.clone());
        out = Some(match out {
            None => step,
            Some(acc) => fold(acc, step),
        });
    }
    Ok(out.filter(|w| row != Some(&w.item) || !w.put_versions.is_empty() || !w.drop_versions.is_empty()))
}

/// Two successive writes of one item as one: the versions the later one drops are not added.
pub(super) fn fold(mut acc: ItemWrite, step: ItemWrite) -> ItemWrite {
    for dropped in step.drop_versions {
        match acc.put_versions.iter().position(|v| v.id == dropped) {
            Some(i) => {
                acc.put_versions.remove(i);
            }
            None => acc.drop_versions.push(dropped),
        }
    }
    acc.put_versions.extend(step.put_versions);
    acc.item = step.item;
    acc
}
