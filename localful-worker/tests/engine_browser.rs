//! The sync engine in headless Chromium against a real localful-server: two "profiles" (two
//! IndexedDB namespaces, two sessions of one account) converge — a note created on one appears on
//! the other; offline edits on both converge by last write wins, both versions in each history.
//! Exercises the browser adapters: `gloo-net` HTTP, the browser WebSocket, IndexedDB application.
//! A worker and a tab over one IndexedDB, joined by a real `BroadcastChannel`: the tab's writes
//! reach the server from their change events, with no outbox read after the vault joined.
//!
//! The server URL is read at compile time from `LOCALFUL_SYNC_SERVER_URL`; the test script must
//! start the server first, allowing any origin (the test page's port is random), e.g.
//! `target/debug/localful-server --bind 127.0.0.1:3902 --allowed-origins '*' --data-dir "$(mktemp -d)"`
//! then `LOCALFUL_SYNC_SERVER_URL=http://127.0.0.1:3902 cargo test --target wasm32-unknown-unknown
//! -p localful-worker --test engine_browser`. Without the variable the test fails when `CI` was set at
//! build time, and otherwise says so and passes.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gloo_timers::future::TimeoutFuture;
use localful_core::sync::SyncConfig;
use localful_core::testing::{CountingStore, PlainCipher};
use localful_core::*;
use localful_worker::engine::{Engine, EngineConfig, EngineHandle};
use localful_worker::http::Api;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Note {
    title: String,
}

impl Collection for Note {
    const NAME: &'static str = "notes";
}

struct Profile {
    app: String,
    db: Database,
    vault: VaultHandle,
    api: Api,
    engine: Option<EngineHandle>,
}

impl Profile {
    fn start(&mut self) {
        let (engine, handle) = Engine::new(self.api.clone(), self.db.clone(), fast_config());
        wasm_bindgen_futures::spawn_local(engine.run());
        handle.add_vault(self.vault.clone());
        self.engine = Some(handle);
    }

    /// Stops the engine and waits until it is gone (nothing of it runs any more).
    async fn stop(&mut self) {
        if let Some(e) = self.engine.take() {
            e.stop();
            e.wait_for(|_| false).await;
        }
    }

    async fn versions(&self, id: ItemId) -> BTreeSet<(VersionId, bool)> {
        match self.vault.history::<Note>(id).await {
            Ok(h) => h.iter().map(|v| (v.id, v.is_live())).collect(),
            Err(_) => BTreeSet::new(),
        }
    }
}

/// The engine's settings here: short debounce, polls and retries.
fn fast_config() -> EngineConfig {
    EngineConfig {
        sync: SyncConfig {
            debounce_ms: 20,
            min_push_interval_ms: 10,
            poll_ms: 1_000,
            retry_base_ms: 100,
            retry_cap_ms: 1_000,
            ..SyncConfig::default()
        },
        ack_timeout: Duration::from_secs(5),
        ..EngineConfig::default()
    }
}

/// What last write wins compares: a version's `(created_at, id)`.
async fn lww_key(vault: &VaultHandle, item: ItemId, version: VersionId) -> (Timestamp, VersionId) {
    let history = vault.history::<Note>(item).await.unwrap();
    history.into_iter().find(|m| m.id == version).map(|m| (m.created_at, m.id)).unwrap()
}

/// Waits until `check` holds; the deadline only bounds a failure. The one polling loop here.
async fn eventually<F, Fut>(what: &str, secs: u32, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = js_sys::Date::now();
    while !check().await {
        assert!(js_sys::Date::now() - start < f64::from(secs) * 1000.0, "timed out waiting for: {what}");
        TimeoutFuture::new(50).await;
    }
}

async fn profile(name: &str, api: Api, vault: Option<&VaultMeta>) -> (Profile, VaultMeta) {
    let app = format!("sync-test-{name}-{}", VaultId::new());
    let db = Database::new(Rc::new(IndexedDbStore::new(&app)), Schema::new().with::<Note>(), EventBus::local(), name);
    let vault = match vault {
        Some(v) => {
            db.apply_remote_vault(v.clone()).await.unwrap();
            v.clone()
        }
        None => db.create_vault("Notes", "v1:key").await.unwrap(),
    };
    let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
    (Profile { app, db, vault: handle, api, engine: None }, vault)
}

/// The server's URL, or `None` (the test is skipped) when it was not given at build time.
fn server_url() -> Option<&'static str> {
    let url = option_env!("LOCALFUL_SYNC_SERVER_URL");
    if url.is_none() {
        // `CI` as seen when this test was built: there, a missing server fails the run.
        let ci = option_env!("CI").is_some_and(|v| !v.is_empty());
        assert!(!ci, "engine_browser: LOCALFUL_SYNC_SERVER_URL not set at build time (CI is set: a missing server fails the run)");
        web_sys::console::warn_1(&"engine_browser: LOCALFUL_SYNC_SERVER_URL not set at build time: skipped".into());
    }
    url
}

/// Two sessions of a new account.
async fn two_sessions(url: &str) -> (Api, Api) {
    let email = format!("{}@example.test", VaultId::new());
    let api_a = Api::new(url);
    api_a.register(&email, "Tester", "server-password-of-the-test").await.unwrap();
    let api_b = Api::new(url);
    api_b.login(&email, "server-password-of-the-test").await.unwrap();
    (api_a, api_b)
}

#[wasm_bindgen_test]
async fn two_profiles_converge_through_a_real_server() {
    let Some(url) = server_url() else { return };
    let (api_a, api_b) = two_sessions(url).await;
    let (mut a, vault) = profile("a", api_a, None).await;
    let (mut b, _) = profile("b", api_b, Some(&vault)).await;
    a.start();
    b.start();

    let id = a.vault.create(&Note { title: "from a".into() }).await.unwrap();
    eventually("b has a's note", 30, || async { b.vault.get::<Note>(id).await.is_ok() }).await;
    assert_eq!(b.vault.get::<Note>(id).await.unwrap().data.title, "from a");

    // Both offline, both edit.
    a.stop().await;
    b.stop().await;
    let va = a.vault.update(id, &Note { title: "offline on a".into() }).await.unwrap();
    let vb = b.vault.update(id, &Note { title: "offline on b".into() }).await.unwrap();
    // Last write wins by (created_at, id): two writes in the same millisecond are ordered by id.

    let (winner, title) = if lww_key(&a.vault, id, va).await > lww_key(&b.vault, id, vb).await { (va, "offline on a") } else { (vb, "offline on b") };
    a.start();
    b.start();
    eventually("both profiles hold both offline versions", 60, || async {
        let (sa, sb) = (a.versions(id).await, b.versions(id).await);
        [va, vb].iter().all(|v| sa.contains(&(*v, true)) && sb.contains(&(*v, true)))
    })
    .await;
    assert_eq!(a.versions(id).await, b.versions(id).await);
    assert_eq!(a.versions(id).await.len(), 3, "v0 and both offline edits");
    assert_eq!(a.vault.get::<Note>(id).await.unwrap().version.id, winner, "the later write wins on a");
    assert_eq!(b.vault.get::<Note>(id).await.unwrap().data.title, title, "and on b");

    // A tab closed between the IndexedDB write and the push: the outbox is in IndexedDB, so the
    // next tab (a new Database over the same store) pushes it.
    a.stop().await;
    let unsent = a.vault.create(&Note { title: "written just before the tab closed".into() }).await.unwrap();
    let app = a.app.clone();
    let api = a.api.clone();
    drop(a);
    let db = Database::new(Rc::new(IndexedDbStore::new(&app)), Schema::new().with::<Note>(), EventBus::local(), "a");
    let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
    assert_eq!(localful_core::Replica::of(&handle).pending().await.unwrap().len(), 1, "the write is still waiting in the outbox");
    let mut a = Profile { db, vault: handle, api, engine: None, app };
    a.start();
    eventually("b has the note written before the tab closed", 30, || async {
        b.vault.get::<Note>(unsent).await.is_ok()
    })
    .await;
    eventually("a's outbox drained", 30, || async { localful_core::Replica::of(&a.vault).pending().await.map(|p| p.is_empty()).unwrap_or(false) })
        .await;
    a.stop().await;
    b.stop().await;
}

#[wasm_bindgen_test]
async fn a_tabs_writes_are_pushed_from_their_events_without_reading_the_outbox() {
    let Some(url) = server_url() else { return };
    let (api_a, api_b) = two_sessions(url).await;
    let (mut a, vault) = profile("a", api_a, None).await;
    a.start();
    // Device b: a worker and a tab over one IndexedDB (two connections, as two contexts have),
    // their buses joined by a BroadcastChannel; the worker's store counts outbox reads.
    let app = format!("sync-test-b-{}", VaultId::new());
    let channel = format!("{app}-events");
    let counted = CountingStore::new(Rc::new(IndexedDbStore::new(&app)));
    let worker = Database::new(Rc::new(counted.clone()), Schema::new().with::<Note>(), EventBus::with_channel(&channel), "b");
    worker.apply_remote_vault(vault.clone()).await.unwrap();
    let worker_vault = worker.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
    let tab_db = Database::new(Rc::new(IndexedDbStore::new(&app)), Schema::new().with::<Note>(), EventBus::with_channel(&channel), "b");
    assert!(tab_db.events().is_broadcasting());
    let tab = tab_db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
    let (engine, handle) = Engine::new(api_b, worker.clone(), fast_config());
    wasm_bindgen_futures::spawn_local(engine.run());
    handle.add_vault(worker_vault);
    let idle = || async { handle.status() == localful_core::sync::SyncStatus::Idle };
    eventually("b joined", 30, idle).await;
    assert_eq!(counted.outbox_reads(), 1, "one read, when the vault joined");

    // Changes from the server: the worker applies them (its change events reach the tab).
    let id = a.vault.create(&Note { title: "from a".into() }).await.unwrap();
    let last = a.vault.update(id, &Note { title: "edited on a".into() }).await.unwrap();
    eventually("the tab has a's edit", 30, || async { tab.get::<Note>(id).await.map(|e| e.version.id == last).unwrap_or(false) }).await;
    eventually("b applied a's changes", 30, idle).await;
    assert_eq!(counted.outbox_reads(), 1, "applying the server's changes read no outbox");

    // The tab writes: its events cross the channel, the worker pushes from them and clears the
    // acked entries without reading the outbox.
    let edit = tab.update(id, &Note { title: "edited in b's tab".into() }).await.unwrap();
    let other = tab.create(&Note { title: "created in b's tab".into() }).await.unwrap();
    eventually("a has the tab's edit and note", 30, || async {
        let edited = a.vault.get::<Note>(id).await.map(|e| e.version.id == edit).unwrap_or(false);
        edited && a.vault.get::<Note>(other).await.is_ok()
    })
    .await;
    eventually("b's outbox drained", 30, || async { Replica::of(&tab).pending().await.map(|p| p.is_empty()).unwrap_or(false) }).await;
    eventually("b pushed everything", 30, idle).await;
    assert_eq!(counted.outbox_reads(), 1, "pushing the tab's writes read no outbox");
    handle.stop();
    handle.wait_for(|_| false).await;
    a.stop().await;
}
