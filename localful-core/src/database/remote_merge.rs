//! The pure merge of a page of server changes into the item rows read in the write transaction
//! (the single-read fast path of [`Replica::apply_remote_page`](super::Replica)).
//!
//! Each item's changes run in order on its row with the same [`ops`] mutations as one by one, so
//! the same rules apply. What one by one learns by awaiting — the exposed fields of a version that
//! becomes current — comes from the page's own versions, decrypted before the transaction; when a
//! change needs anything else (a stored version's data, a collection this context does not know)
//! or a rule refuses it, the merge fails with [`StoreError::Conflict`] and writes nothing, and the
//! caller takes a slower path that can await.

use super::remote_change::{Remote, simulate_version};
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::collection::{Collection, ExposedField};
    use crate::model::{Item, Timestamp, VaultId, Version};
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct Note {
        title: String,
    }

    impl Collection for Note {
        const NAME: &'static str = "notes";
        fn exposed_fields() -> Vec<ExposedField> {
            vec![ExposedField::indexed("title")]
        }
    }

    fn item(id: ItemId) -> Item {
        Item {
            id,
            vault_id: VaultId::new(),
            collection: "notes".into(),
            created_at: Timestamp::from_unix_millis(1_000).unwrap(),
            deleted_at: None,
            current_version_id: None,
            exposed: Default::default(),
        }
    }

    fn version(item: ItemId, ms: i64) -> Version {
        Version {
            id: VersionId::new(),
            item_id: item,
            created_at: Timestamp::from_unix_millis(ms).unwrap(),
            device_name: "phone".into(),
            schema_version: 1,
            protected_data: Some("v1:sealed:elsewhere".into()),
            deleted_at: None,
        }
    }

    fn data(pairs: &[(&Version, &str)]) -> HashMap<VersionId, Value> {
        pairs.iter().map(|(v, title)| (v.id, serde_json::json!({ "title": title }))).collect()
    }

    #[test]
    fn an_item_and_its_versions_merge_into_one_write_with_the_current_versions_exposed_fields() {
        let schema = Schema::new().with::<Note>();
        let id = ItemId::new();
        let (v1, v2) = (version(id, 2_000), version(id, 3_000));
        let page = Page::of(vec![Remote::Item(item(id)), Remote::Version(v2.clone()), Remote::Version(v1.clone())]);
        let writes = merge_page(&schema, &page, &[None], data(&[(&v1, "first"), (&v2, "second")])).unwrap();
        let [Some(write)] = &writes[..] else { panic!("{writes:?}") };
        assert_eq!(write.item.item.current_version_id, Some(v2.id), "the latest wins, whatever the order");
        assert_eq!(write.item.item.exposed["title"], serde_json::json!("second"));
        assert_eq!(write.put_versions.iter().map(|v| v.id).collect::<Vec<_>>(), [v2.id, v1.id]);

        // The same page again changes nothing: nothing to write.
        let again = merge_page(&schema, &page, &[Some(write.item.clone())], data(&[(&v1, "first"), (&v2, "second")]));
        assert_eq!(again.unwrap(), vec![None]);
    }

    #[test]
    fn what_needs_more_than_the_page_is_a_conflict() {
        let schema = Schema::new().with::<Note>();
        let id = ItemId::new();
        let (v1, v2) = (version(id, 2_000), version(id, 3_000));
        let page = Page::of(vec![Remote::Item(item(id)), Remote::Version(v1.clone()), Remote::Version(v2.clone())]);
        let stored = merge_page(&schema, &page, &[None], data(&[(&v1, "first"), (&v2, "second")])).unwrap();
        let row = stored[0].clone().unwrap().item;

        // Deleting the current version makes a stored one current: its data must be read first.
        let gone = Version { deleted_at: Some(Timestamp::from_unix_millis(4_000).unwrap()), protected_data: None, ..v2 };
        let page = Page::of(vec![Remote::Version(gone)]);
        assert_eq!(merge_page(&schema, &page, &[Some(row.clone())], HashMap::new()), Err(StoreError::Conflict));
        // A live version whose data was not decrypted, a version without its item, an unknown collection.
        let v3 = version(id, 5_000);
        let page = Page::of(vec![Remote::Version(v3.clone())]);
        assert_eq!(merge_page(&schema, &page, &[Some(row.clone())], HashMap::new()), Err(StoreError::Conflict));
        assert_eq!(merge_page(&schema, &page, &[None], data(&[(&v3, "third")])), Err(StoreError::Conflict));
        assert_eq!(merge_page(&Schema::new(), &page, &[Some(row)], data(&[(&v3, "third")])), Err(StoreError::Conflict));
    }
}
