//! Collections, ciphers and helpers shared by the store suite.

use futures::StreamExt;
use futures::future::LocalBoxFuture;
use localful_core::testing::PlainCipher;
use localful_core::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Makes a fresh store.
pub type StoreMaker = Rc<dyn Fn() -> LocalBoxFuture<'static, Rc<dyn Store>>>;

/// Makes a fresh store with a quota of about this many bytes.
pub type QuotaStoreMaker = Rc<dyn Fn(usize) -> Rc<dyn Store>>;

/// Builds the pieces of one backend.
#[derive(Clone)]
pub struct Factory {
    /// A fresh, empty store.
    pub store: StoreMaker,
    /// An event bus on the named cross-context channel (local only natively).
    pub bus: Rc<dyn Fn(&str) -> EventBus>,
    /// Whether buses on the same channel name reach each other (a real `BroadcastChannel`).
    pub broadcasts: bool,
    /// A fresh store that runs out of quota after about this many bytes, when the backend can.
    pub quota_store: Option<QuotaStoreMaker>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Note {
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub rank: i64,
}

impl Collection for Note {
    const NAME: &'static str = "notes";
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::indexed("title"), ExposedField::indexed("rank"), ExposedField::plain("tags")]
    }
}

pub fn note(title: &str, body: &str, tags: &[&str], rank: i64) -> Note {
    Note { title: title.into(), body: body.into(), tags: tags.iter().map(|t| t.to_string()).collect(), rank }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Task {
    pub name: String,
    pub done: bool,
}

impl Collection for Task {
    const NAME: &'static str = "tasks";
}

/// A collection whose values cannot be serialised to JSON (map keys that are not strings).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Weird {
    pub map: BTreeMap<(i32, i32), i32>,
}

impl Collection for Weird {
    const NAME: &'static str = "weird";
}

/// "docs" at schema 1.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct DocV1 {
    pub text: String,
}

impl Collection for DocV1 {
    const NAME: &'static str = "docs";
}

/// "docs" at schema 2: a word count was added.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct DocV2 {
    pub text: String,
    pub words: usize,
}

impl Collection for DocV2 {
    const NAME: &'static str = "docs";
    const SCHEMA_VERSION: u32 = 2;
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::indexed("words")]
    }
    fn migrate(from: u32, mut data: serde_json::Value) -> Result<serde_json::Value, MigrationError> {
        match from {
            1 => {
                let words = data["text"].as_str().map_or(0, |t| t.split_whitespace().count());
                data["words"] = words.into();
                Ok(data)
            }
            _ => Err(MigrationError(format!("no migration from {from}"))),
        }
    }
}

pub fn schema() -> Schema {
    Schema::new().with::<Note>().with::<Task>().with::<Weird>().with::<DocV1>()
}

/// A fresh database, its bus's channel name, and an open vault with a counting cipher.
pub struct Env {
    pub db: Database,
    pub vault: VaultHandle,
    pub cipher: Rc<PlainCipher>,
    pub channel: String,
}

pub async fn env(f: &Factory) -> Env {
    env_with(f, schema()).await
}

pub async fn env_with(f: &Factory, schema: Schema) -> Env {
    let store = (f.store)().await;
    let channel = format!("localful-test-{}", ItemId::new());
    let db = Database::new(store, schema, (f.bus)(&channel), "test-device");
    let vault = db.create_vault("Test", "v1:key").await.unwrap();
    let cipher = Rc::new(PlainCipher::new(7));
    let vault = db.open_vault(vault.id, cipher.clone()).await.unwrap();
    Env { db, vault, cipher, channel }
}

pub fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(ms).unwrap()
}

/// Collects the events already delivered to `stream` (it is fed synchronously by local writes).
pub fn drain(stream: &mut EventStream) -> Vec<ChangeEvent> {
    let mut out = Vec::new();
    while let Some(Some(e)) = stream.next().now_or_never_compat() {
        out.push(e);
    }
    out
}

trait NowOrNever: futures::Future + Sized {
    fn now_or_never_compat(self) -> Option<Self::Output> {
        futures::FutureExt::now_or_never(self)
    }
}
impl<F: futures::Future> NowOrNever for F {}

/// The event of a change the sync engine applied.
pub fn synced_event(vault: VaultId, collection: &str, ids: Vec<ItemId>, action: ItemAction) -> ChangeEvent {
    ChangeEvent::Items(ItemsChanged::synced(vault, collection, ids, action))
}

/// The event of a local write that left `pending` in the outbox.
pub fn local_event(vault: VaultId, collection: &str, ids: Vec<ItemId>, action: ItemAction, pending: Vec<store::Pending>) -> ChangeEvent {
    ChangeEvent::Items(ItemsChanged::local(vault, collection, ids, action, pending))
}

/// The outbox entry of item `id`, in the deletion state `deleted`.
pub fn item_entry(id: ItemId, deleted: bool) -> store::Pending {
    store::Pending { entry: OutboxEntry::Item(id), deleted }
}

/// The outbox entry of version `version` of item `id`, in the deletion state `deleted`.
pub fn version_entry(id: ItemId, version: VersionId, deleted: bool) -> store::Pending {
    store::Pending { entry: OutboxEntry::Version(id, version), deleted }
}
