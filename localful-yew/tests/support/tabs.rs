//! Another tab of the app in the same page, and a recording of the events a context receives.

use localful_core::{crypto, Database, ChangeEvent, EventBus, IndexedDbStore, ItemId, Subscription, VaultHandle, VaultId};
use localful_yew::{LocalfulConfig, LocalfulContext};
use std::cell::RefCell;
use std::rc::Rc;

/// Another tab of the app of `config`: its own database over the same IndexedDB and
/// BroadcastChannel, with vault `vault` unlocked by `password`.
pub async fn other_tab(config: &LocalfulConfig, vault: VaultId, password: &str) -> VaultHandle {
    let db = Database::new(
        Rc::new(IndexedDbStore::new(config.app_name.clone())),
        (*config.schema).clone(),
        EventBus::with_channel(&config.channel_name()),
        "tab-2",
    );
    let meta = db.vault(vault).await.expect("the vault is listed");
    let key = crypto::unlock(&meta.protected_encryption_key, password).await.expect("unlock");
    db.open_vault(vault, Rc::new(key)).await.expect("open vault")
}

/// Every event the context's bus delivers (local writes at once, other tabs' on arrival); the
/// recording stops when the subscription is dropped.
pub fn record_events(ctx: &LocalfulContext) -> (Subscription, Rc<RefCell<Vec<ChangeEvent>>>) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    (ctx.database().events().subscribe(move |event| sink.borrow_mut().push(event.clone())), seen)
}

/// Whether `seen` holds an event about item `id`.
pub fn has_item(seen: &RefCell<Vec<ChangeEvent>>, id: ItemId) -> bool {
    seen.borrow().iter().any(|e| matches!(e, ChangeEvent::Items(c) if c.ids.contains(&id)))
}

/// How many item events of `collection` `seen` holds.
pub fn count_items(seen: &RefCell<Vec<ChangeEvent>>, collection: &str) -> usize {
    seen.borrow().iter().filter(|e| matches!(e, ChangeEvent::Items(c) if c.collection == collection)).count()
}
