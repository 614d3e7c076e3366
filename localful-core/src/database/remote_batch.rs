//! Applying a page of server changes in one store write (the fast path of initial sync).
//!
//! [`Replica::apply_remote_item`] and [`Replica::apply_remote_version`] each cost a read
//! and a write transaction; a page of a few hundred changes applied one by one is dominated by
//! those round trips. Here a page is applied in one transaction with one change event per
//! collection and action, by one of two paths with the result of applying it change by change:
//!
//! - **one read** ([`Store::merge_items`](crate::Store::merge_items)): the page's live versions
//!   are decrypted first, then its item rows are read, merged ([`remote_merge`](super::remote_merge))
//!   and written in the same readwrite transaction. This takes every page whose versions that
//!   become current are in the page itself — an initial sync, and almost any pull.
//! - **read, then write**: when the merge needs more (a stored version becoming current, whose data
//!   must be read and decrypted first), the rows are read apart, each item's changes simulated on
//!   them to predict the exposed fields of every version that becomes current (awaiting what it
//!   must), and the composed mutations written by [`Store::write_items`](crate::Store::write_items),
//!   which fails if a local write raced the read.
//!
//! When neither can (a collection this context does not know, a change the rules refuse, a racing
//! local write), the caller applies the page change by change.

use super::Replica;
use super::remote_change::{Remote, simulate_version};
use super::remote_merge::{Page, fold, merge_page};
use crate::codec;
use crate::error::Result;
use crate::events::ItemAction;
use crate::model::{ItemId, VersionId};
use crate::store::{ItemWrite, Merge, StoreError, StoredItem, ops};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Runs `steps` in order on `row`, as one write: the versions a later step drops are not added.
fn compose(steps: Vec<(Remote, ops::ExposedFor)>) -> ops::Mutation {
    Box::new(move |mut row| {
        let mut out: Option<ItemWrite> = None;
        for (change, exposed_for) in steps {
            let mutation = match change {
                Remote::Item(item) => ops::apply_remote_item(item),
                Remote::Version(version) => ops::apply_remote_version(version, exposed_for),
            };
            let step = mutation(row)?;
            row = Some(step.item.clone());
            out = Some(match out {
                None => step,
                Some(acc) => fold(acc, step),
            });
        }
        out.ok_or(StoreError::Constraint("an empty batch of remote changes".into()))
    })
}

/// The change events of a batch write, one per collection and action, from each item's row
/// before and after (`None` after: not written): `(collection, action, ids)`.
pub(super) fn page_events(
    items: impl Iterator<Item = (Option<StoredItem>, Option<StoredItem>)>,
) -> Vec<(String, ItemAction, Vec<ItemId>)> {
    let mut events: BTreeMap<(String, u8), (ItemAction, Vec<ItemId>)> = BTreeMap::new();
    for (before, after) in items {
        let Some(after) = after else { continue };
        let action = match &before {
            None => Some((0, ItemAction::Created)),
            Some(b) if b.item.is_live() && !after.item.is_live() => Some((1, ItemAction::Deleted)),
            // A deleted item's history is not shown: a version recorded on it is no event.
            Some(_) if !after.item.is_live() => None,
            Some(b) if after.item.current_version_id != b.item.current_version_id => Some((2, ItemAction::Updated)),
            Some(b) if *b != after => Some((3, ItemAction::HistoryChanged)),
            Some(_) => None,
        };
        if let Some((rank, action)) = action {
            events.entry((after.item.collection.clone(), rank)).or_insert((action, Vec::new())).1.push(after.item.id);
        }
    }
    events.into_iter().map(|((collection, _), (action, ids))| (collection, action, ids)).collect()
}

impl Replica {
    /// Applies `changes` (in server order, all of this vault) in one store write, with the same
    /// result and events as applying them one by one. Returns `false`, having written nothing,
    /// when the page needs the one-by-one path: a collection this context does not know, a change
    /// the rules refuse (so the caller stops at the same change with the same error), or a local
    /// write racing this one.
    pub(crate) async fn apply_remote_page(&self, changes: Vec<Remote>) -> Result<bool> {
        if changes.iter().any(|c| matches!(c, Remote::Item(i) if i.vault_id != self.id)) {
            return Ok(false);
        }
        let page = Page::of(changes);
        if let Some(data) = self.open_page(&page).await {
            let schema = self.db.schema();
            let merge: Merge<'_> = Box::new(|rows| merge_page(schema, &page, rows, data));
            match self.store().merge_items(self.id, &page.ids, merge).await {
                Ok(merged) => {
                    self.emit_page(merged.into_iter().map(|m| (m.before, m.after)));
                    return Ok(true);
                }
                Err(StoreError::Conflict) => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.apply_page_read_first(page).await
    }

    /// The decrypted JSON of the page's live versions, by id, decrypted together (see
    /// [`Cipher::decrypt_many`](crate::crypto::Cipher::decrypt_many)); `None` if one fails (the
    /// slower paths then report it at its change).
    async fn open_page(&self, page: &Page) -> Option<HashMap<VersionId, Value>> {
        let live: Vec<(VersionId, &str)> = page
            .changes
            .iter()
            .flatten()
            .filter_map(|change| match change {
                Remote::Version(version) if version.deleted_at.is_none() => Some((version.id, version.protected_data.as_deref()?)),
                _ => None,
            })
            .collect();
        let envelopes: Vec<&str> = live.iter().map(|(_, envelope)| *envelope).collect();
        let opened = self.cipher().decrypt_many(&envelopes).await;
        let mut data = HashMap::with_capacity(live.len());
        for ((id, _), bytes) in live.iter().zip(opened) {
            data.insert(*id, serde_json::from_slice(&bytes.ok()?).ok()?);
        }
        Some(data)
    }

    /// One change event per collection and action for the items whose row changed, from each
    /// item's row before and after (`None` after: not written).
    fn emit_page(&self, items: impl Iterator<Item = (Option<StoredItem>, Option<StoredItem>)>) {
        for (collection, action, ids) in page_events(items) {
            self.db.emit_synced(self.id, &collection, ids, action);
        }
    }

    /// The read-then-write path: the rows are read apart, the changes planned on them (awaiting
    /// the data of stored versions that become current) and written by `write_items`, which
    /// refuses the whole write if a local write changed a row in between.
    async fn apply_page_read_first(&self, page: Page) -> Result<bool> {
        let rows: BTreeMap<ItemId, StoredItem> =
            self.store().get_items(self.id, &page.ids).await?.into_iter().map(|r| (r.item.id, r)).collect();
        let mut plans = Vec::with_capacity(page.ids.len());
        for (id, changes) in page.ids.iter().zip(page.changes) {
            let before = rows.get(id).cloned();
            let Some(steps) = self.plan(before.clone(), changes).await? else {
                return Ok(false);
            };
            plans.push((*id, steps, before));
        }
        let writes = plans.iter().map(|(id, steps, _)| (*id, compose(steps.clone()))).collect();
        let written = match self.store().write_items(self.id, writes).await {
            Ok(written) => written,
            Err(StoreError::Conflict) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        self.emit_page(plans.into_iter().zip(written).map(|((_, _, before), after)| (before, Some(after))));
        Ok(true)
    }

    /// Simulates one item's changes on its row; `None` when the page must take the one-by-one
    /// path. Every live incoming version is decrypted (as one by one), and each step that makes
    /// another version current carries that version's exposed fields.
    async fn plan(
        &self,
        mut row: Option<StoredItem>,
        changes: Vec<Remote>,
    ) -> Result<Option<Vec<(Remote, ops::ExposedFor)>>> {
        let mut steps = Vec::with_capacity(changes.len());
        for change in changes {
            let exposed_for = match &change {
                Remote::Item(_) => None,
                Remote::Version(version) => {
                    let Some(current) = row.as_ref() else { return Ok(None) };
                    let Some(def) = self.db.schema().get(&current.item.collection) else { return Ok(None) };
                    let incoming = match (&version.protected_data, version.deleted_at) {
                        (Some(_), None) => match codec::open(self.cipher(), def, version).await {
                            Ok(data) => Some(data),
                            Err(_) => return Ok(None),
                        },
                        _ => None,
                    };
                    if !current.item.is_live() {
                        None
                    } else {
                        let simulate = |r: &mut StoredItem| simulate_version(r, version);
                        match self
                            .predict_exposed(def, current, simulate, incoming.as_ref().map(|d| (version.id, d)))
                            .await
                        {
                            Ok(exposed) => exposed,
                            Err(_) => return Ok(None),
                        }
                    }
                }
            };
            let mutation = match change.clone() {
                Remote::Item(item) => ops::apply_remote_item(item),
                Remote::Version(version) => ops::apply_remote_version(version, exposed_for.clone()),
            };
            match mutation(row) {
                Ok(write) => row = Some(write.item),
                Err(_) => return Ok(None),
            }
            steps.push((change, exposed_for));
        }
        Ok(Some(steps))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use crate::crypto::Cipher;
    use crate::testing::PlainCipher;
    use crate::wire::{Change, ChangeKind};
    use crate::*;
    use futures::executor::block_on;
    use futures::{FutureExt, StreamExt};
    use serde::{Deserialize, Serialize};
    use std::rc::Rc;

    #[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
    struct Note {
        title: String,
    }

    impl Collection for Note {
        const NAME: &'static str = "notes";
        fn exposed_fields() -> Vec<ExposedField> {
            vec![ExposedField::indexed("title")]
        }
    }

    struct Env {
        db: Database,
        vault: VaultHandle,
    }

    async fn env(vault: Option<&VaultMeta>) -> (Env, VaultMeta) {
        let db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "dev");
        let vault = match vault {
            Some(v) => {
                db.apply_remote_vault(v.clone()).await.unwrap();
                v.clone()
            }
            None => db.create_vault("Notes", "v1:key").await.unwrap(),
        };
        let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
        (Env { db, vault: handle }, vault)
    }

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(ms).unwrap()
    }

    fn item(vault: VaultId, id: ItemId) -> Item {
        Item {
            id,
            vault_id: vault,
            collection: "notes".into(),
            created_at: at(1_000),
            deleted_at: None,
            current_version_id: None,
            exposed: Default::default(),
        }
    }

    async fn version(item: ItemId, ms: i64, title: &str) -> Version {
        let data = serde_json::to_vec(&Note { title: title.into() }).unwrap();
        Version {
            id: VersionId::new(),
            item_id: item,
            created_at: at(ms),
            device_name: "phone".into(),
            schema_version: 1,
            protected_data: Some(PlainCipher::new(0).encrypt(&data).await.unwrap()),
            deleted_at: None,
        }
    }

    fn deleted(v: &Version, ms: i64) -> Version {
        Version { deleted_at: Some(at(ms)), protected_data: None, ..v.clone() }
    }

    enum Step {
        Item(Item),
        Version(Version),
    }

    fn page(vault: VaultId, steps: &[Step]) -> Vec<Change> {
        steps
            .iter()
            .enumerate()
            .map(|(n, s)| {
                let (event, item, version) = match s {
                    Step::Item(i) => (ChangeKind::ItemCreate, Some(i.into()), None),
                    Step::Version(v) if v.deleted_at.is_some() => (ChangeKind::VersionDelete, None, Some(v.into())),
                    Step::Version(v) => (ChangeKind::VersionCreate, None, Some(v.into())),
                };
                Change { seq: n as u64 + 1, event, vault_id: vault, created_at: None, item, version }
            })
            .collect()
    }

    async fn one_by_one(vault: &VaultHandle, steps: &[Step]) {
        for s in steps {
            match s {
                Step::Item(i) => crate::Replica::of(&vault).apply_remote_item(i.clone()).await.unwrap(),
                Step::Version(v) => crate::Replica::of(&vault).apply_remote_version(v.clone()).await.unwrap(),
            }
        }
    }

    /// What a user sees of item `id`: its current version, exposed title and history.
    async fn seen(
        vault: &VaultHandle,
        id: ItemId,
    ) -> (Option<VersionId>, Option<serde_json::Value>, Vec<(VersionId, bool)>) {
        let current = vault.get::<Note>(id).await.ok();
        let history = vault.history::<Note>(id).await.unwrap().iter().map(|v| (v.id, v.is_live())).collect();
        (current.as_ref().map(|e| e.version.id), current.map(|e| e.item.exposed["title"].clone()), history)
    }

    fn drain(events: &mut crate::events::EventStream) -> Vec<ChangeEvent> {
        let mut out = Vec::new();
        while let Some(Some(e)) = events.next().now_or_never() {
            out.push(e);
        }
        out
    }

    #[test]
    fn a_page_is_one_write_with_the_result_of_applying_it_change_by_change() {
        block_on(async {
            let (a, vault) = env(None).await;
            let (b, _) = env(Some(&vault)).await;
            let (one, two) = (ItemId::new(), ItemId::new());
            let v1 = version(one, 2_000, "first").await;
            let v2 = version(one, 3_000, "second").await;
            let older = version(one, 1_500, "older").await;
            let w1 = version(two, 2_500, "other").await;
            let steps = [
                Step::Item(item(vault.id, one)),
                Step::Item(item(vault.id, two)),
                Step::Version(v1.clone()),
                Step::Version(w1.clone()),
                Step::Version(v2.clone()),
                Step::Version(older.clone()),
            ];
            let mut events = a.db.events().stream();
            crate::Replica::of(&a.vault).apply_changes(&page(vault.id, &steps)).await.unwrap();
            one_by_one(&b.vault, &steps).await;
            for id in [one, two] {
                assert_eq!(seen(&a.vault, id).await, seen(&b.vault, id).await);
            }
            assert_eq!(seen(&a.vault, one).await.0, Some(v2.id), "the latest version is current");
            assert_eq!(seen(&a.vault, one).await.1, Some(serde_json::json!("second")), "with its exposed field");
            let got = drain(&mut events);
            assert_eq!(got.len(), 1, "one event for the page: {got:?}");
            let ChangeEvent::Items(changed) = &got[0] else { panic!("{got:?}") };
            assert_eq!((changed.action, changed.ids.clone()), (ItemAction::Created, vec![one, two]));
            assert!(crate::Replica::of(&a.vault).pending().await.unwrap().is_empty(), "remote changes are not pushed back");

            // A second page over stored rows: a new version, a deletion of the current one.
            let v3 = version(two, 4_000, "third").await;
            let steps = [Step::Version(v3.clone()), Step::Version(deleted(&v2, 5_000))];
            crate::Replica::of(&a.vault).apply_changes(&page(vault.id, &steps)).await.unwrap();
            one_by_one(&b.vault, &steps).await;
            for id in [one, two] {
                assert_eq!(seen(&a.vault, id).await, seen(&b.vault, id).await);
            }
            assert_eq!(seen(&a.vault, one).await.0, Some(v1.id), "the deleted current version falls back");
            assert!(crate::Replica::of(&a.vault).versions(&[(one, v2.id)]).await.unwrap().is_empty(), "its data is dropped");
            let mut actions: Vec<ItemAction> = drain(&mut events)
                .into_iter()
                .filter_map(|e| if let ChangeEvent::Items(c) = e { Some(c.action) } else { None })
                .collect();
            actions.sort_by_key(|a| format!("{a:?}"));
            assert_eq!(actions, vec![ItemAction::Updated], "both items updated, one event");
        });
    }

    #[test]
    fn a_version_created_and_deleted_in_one_page_leaves_no_data() {
        block_on(async {
            let (a, vault) = env(None).await;
            let (b, _) = env(Some(&vault)).await;
            let id = ItemId::new();
            let current = version(id, 2_000, "kept").await;
            let older = version(id, 1_000, "gone").await;
            let steps = [
                Step::Item(item(vault.id, id)),
                Step::Version(current.clone()),
                Step::Version(older.clone()),
                Step::Version(deleted(&older, 4_000)),
            ];
            let mut events = a.db.events().stream();
            crate::Replica::of(&a.vault).apply_changes(&page(vault.id, &steps)).await.unwrap();
            one_by_one(&b.vault, &steps).await;
            assert_eq!(drain(&mut events).len(), 1, "applied as one write");
            assert_eq!(seen(&a.vault, id).await, seen(&b.vault, id).await);
            assert_eq!(seen(&a.vault, id).await.0, Some(current.id));
            assert!(crate::Replica::of(&a.vault).versions(&[(id, older.id)]).await.unwrap().is_empty(), "the deleted version has no data");
        });
    }

    #[test]
    fn a_deletion_bringing_back_a_version_of_the_same_page_is_applied_change_by_change() {
        block_on(async {
            let (a, vault) = env(None).await;
            let (b, _) = env(Some(&vault)).await;
            let id = ItemId::new();
            let v1 = version(id, 2_000, "back").await;
            let v2 = version(id, 3_000, "gone").await;
            let steps = [
                Step::Item(item(vault.id, id)),
                Step::Version(v1.clone()),
                Step::Version(v2.clone()),
                Step::Version(deleted(&v2, 4_000)),
            ];
            crate::Replica::of(&a.vault).apply_changes(&page(vault.id, &steps)).await.unwrap();
            one_by_one(&b.vault, &steps).await;
            assert_eq!(seen(&a.vault, id).await, seen(&b.vault, id).await);
            assert_eq!(seen(&a.vault, id).await.1, Some(serde_json::json!("back")));
            assert!(crate::Replica::of(&a.vault).versions(&[(id, v2.id)]).await.unwrap().is_empty());
        });
    }

    #[test]
    fn a_page_the_rules_refuse_stops_at_the_same_change_as_one_by_one() {
        block_on(async {
            let (a, vault) = env(None).await;
            let id = ItemId::new();
            let v1 = version(id, 2_000, "applied").await;
            let orphan = version(ItemId::new(), 2_000, "no item").await;
            let steps = [Step::Item(item(vault.id, id)), Step::Version(v1.clone()), Step::Version(orphan)];
            let result = crate::Replica::of(&a.vault).apply_changes(&page(vault.id, &steps)).await;
            assert!(matches!(result, Err(Error::Store(StoreError::ItemNotFound(_)))), "{result:?}");
            assert_eq!(seen(&a.vault, id).await.0, Some(v1.id), "the changes before the refused one are applied");
        });
    }
}
