//! The sync engine against a real localful-server (in-process, SQLite in a temp dir): two
//! devices (two sessions of one account, each with its own store) converge through the server —
//! a note created on one appears on the other; offline edits on both converge by last write wins
//! with both versions in every history; the server restarted in the middle of a push loses nothing;
//! a server restored from an older backup is repaired from the devices; the engine reads a vault's
//! outbox once, when it joins, and then keeps it from change events and acks.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod engine_support;

use engine_support::{TestServer, uuid_like};
use localful_core::sync::{SyncConfig, SyncStatus};
use localful_core::testing::{CountingStore, PlainCipher};
use localful_core::*;
use localful_worker::engine::{Engine, EngineConfig, EngineHandle};
use localful_worker::http::Api;
use serde::{Deserialize, Serialize};
use localful_core::wire::Tokens;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::Duration;

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Note {
    title: String,
}

impl Collection for Note {
    const NAME: &'static str = "notes";
}

fn fast() -> EngineConfig {
    EngineConfig {
        sync: SyncConfig {
            debounce_ms: 20,
            max_delay_ms: 100,
            min_push_interval_ms: 10,
            batch_size: 10,
            poll_ms: 1_000,
            retry_base_ms: 100,
            retry_cap_ms: 1_000,
            ..SyncConfig::default()
        },
        ack_timeout: Duration::from_secs(5),
        ..EngineConfig::default()
    }
}

/// One device: its own store and session.
struct Device {
    db: Database,
    vault: VaultHandle,
    api: Api,
    engine: Option<EngineHandle>,
}

impl Device {
    async fn new(name: &str, api: Api, vault: &VaultMeta) -> Device {
        let db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), name);
        if db.vault(vault.id).await.is_err() {
            db.apply_remote_vault(vault.clone()).await.unwrap();
        }
        let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
        Device { db, vault: handle, api, engine: None }
    }

    fn start(&mut self) {
        let (engine, handle) = Engine::new(self.api.clone(), self.db.clone(), fast());
        tokio::task::spawn_local(engine.run());
        handle.add_vault(self.vault.clone());
        self.engine = Some(handle);
    }

    /// Stops the engine and waits until it is gone (nothing of it runs any more).
    async fn stop(&mut self) {
        if let Some(e) = self.engine.take() {
            e.stop();
            let gone = tokio::time::timeout(Duration::from_secs(30), e.wait_for(|_| false));
            gone.await.expect("the engine stopped");
        }
    }

    /// Every version id of every item, with liveness, and each item's current version.
    async fn state(&self) -> (BTreeSet<(ItemId, VersionId, bool)>, BTreeSet<(ItemId, Option<VersionId>)>) {
        let found = self.vault.query::<Note>(&Query::new()).await.unwrap();
        let mut versions = BTreeSet::new();
        let mut current = BTreeSet::new();
        for e in found.entries {
            current.insert((e.id(), e.item.current_version_id));
            for v in self.vault.history::<Note>(e.id()).await.unwrap() {
                versions.insert((e.id(), v.id, v.is_live()));
            }
        }
        (versions, current)
    }

    async fn settled(&self) -> bool {
        let idle = self.engine.as_ref().is_some_and(|e| e.status() == SyncStatus::Idle);
        idle && localful_core::Replica::of(&self.vault).pending().await.unwrap().is_empty()
    }
}

/// What last write wins compares: a version's `(created_at, id)`.
async fn lww_key(vault: &VaultHandle, item: ItemId, version: VersionId) -> (Timestamp, VersionId) {
    let history = vault.history::<Note>(item).await.unwrap();
    history.into_iter().find(|m| m.id == version).map(|m| (m.created_at, m.id)).unwrap()
}

/// Waits until `check` holds; the deadline only bounds a failure. The one polling loop here.
async fn eventually<F, Fut>(what: &str, secs: u64, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for a signal sent from the thread that restarts the server.
async fn signalled(rx: tokio::sync::oneshot::Receiver<()>, what: &str) {
    let got = tokio::time::timeout(Duration::from_secs(60), rx).await;
    assert!(matches!(got, Ok(Ok(()))), "no signal: {what}");
}

/// The server's versions of the vault, as (item, version, live).
async fn server_versions(api: &Api, vault: VaultId) -> BTreeSet<(ItemId, VersionId, bool)> {
    let mut out = BTreeSet::new();
    let mut since = 0;
    loop {
        // A pooled connection to a server instance that was restarted fails once: ask again (the
        // server is listening again before `restart` returns; the next request dials afresh).
        let mut page = api.changes(vault, since, 200).await;
        for _ in 0..5 {
            if page.is_ok() {
                break;
            }
            page = api.changes(vault, since, 200).await;
        }
        let page = page.unwrap();
        for c in &page.results {
            if let Some(v) = &c.version {
                out.retain(|(_, id, _)| *id != v.id);
                out.insert((v.item_id, v.id, v.deleted_at.is_none()));
            }
        }
        match page.results.last() {
            Some(c) => since = c.seq,
            None => return out,
        }
    }
}

async fn two_devices(url: &str) -> (Device, Device) {
    let password = "server-password-of-the-test";
    let email = format!("{}@example.test", uuid_like());
    let api_a = Api::new(url);
    api_a.register(&email, "Tester", password).await.unwrap();
    let api_b = Api::new(url);
    api_b.login(&email, password).await.unwrap();
    let db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "a");
    let vault = db.create_vault("Notes", "v1:key").await.unwrap();
    let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
    let a = Device { db, vault: handle, api: api_a, engine: None };
    let b = Device::new("b", api_b, &vault).await;
    (a, b)
}

fn local<F: std::future::Future<Output = ()>>(f: F) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&rt, f);
}

#[test]
fn a_note_created_on_one_device_appears_on_the_other() {
    let server = TestServer::start();
    local(async {
        let (mut a, mut b) = two_devices(&server.url()).await;
        a.start();
        b.start();
        let id = a.vault.create(&Note { title: "from a".into() }).await.unwrap();
        eventually("b has a's note", 30, || async { b.vault.get::<Note>(id).await.is_ok() }).await;
        assert_eq!(b.vault.get::<Note>(id).await.unwrap().data.title, "from a");
        let v = b.vault.update(id, &Note { title: "edited on b".into() }).await.unwrap();
        eventually("a has b's edit", 30, || async {
            a.vault.get::<Note>(id).await.map(|e| e.version.id == v).unwrap_or(false)
        })
        .await;
        eventually("both idle", 30, || async { a.settled().await && b.settled().await }).await;
        a.stop().await;
        b.stop().await;
    });
}

#[test]
fn offline_edits_on_both_devices_converge_by_last_write_wins_keeping_both_versions() {
    let server = TestServer::start();
    local(async {
        let (mut a, mut b) = two_devices(&server.url()).await;
        a.start();
        b.start();
        let id = a.vault.create(&Note { title: "v0".into() }).await.unwrap();
        eventually("b has the note", 30, || async { b.vault.get::<Note>(id).await.is_ok() }).await;
        eventually("both idle", 30, || async { a.settled().await && b.settled().await }).await;
        a.stop().await;
        b.stop().await;
        // Offline on both.
        let va = a.vault.update(id, &Note { title: "offline on a".into() }).await.unwrap();
        let vb = b.vault.update(id, &Note { title: "offline on b".into() }).await.unwrap();
        // Last write wins by (created_at, id): two writes in the same millisecond are ordered by id.

        let winner = lww_key(&a.vault, id, va).await.max(lww_key(&b.vault, id, vb).await).1;
        a.start();
        b.start();
        eventually("both devices hold both versions", 60, || async {
            let (sa, _) = a.state().await;
            let (sb, _) = b.state().await;
            [va, vb].iter().all(|v| sa.iter().any(|(_, x, _)| x == v) && sb.iter().any(|(_, x, _)| x == v))
        })
        .await;
        eventually("both idle", 30, || async { a.settled().await && b.settled().await }).await;
        let (sa, ca) = a.state().await;
        let (sb, cb) = b.state().await;
        assert_eq!(sa, sb, "same versions on both devices");
        assert_eq!(ca, cb, "same current version on both devices");
        assert_eq!(sa, server_versions(&a.api, a.vault.id()).await, "and on the server");
        assert_eq!(a.vault.get::<Note>(id).await.unwrap().version.id, winner, "the later write wins");
        assert_eq!(
            sa.iter().filter(|(i, _, live)| *i == id && *live).count(),
            3,
            "v0 and both offline edits in history"
        );
        a.stop().await;
        b.stop().await;
    });
}

#[test]
fn a_server_restart_in_the_middle_of_a_push_loses_nothing() {
    let mut server = TestServer::start();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let (back_tx, back_rx) = tokio::sync::oneshot::channel::<()>();
    let url = server.url();
    let expected = url.clone();
    let restarter = std::thread::spawn(move || {
        rx.recv().unwrap();
        server.restart();
        assert_eq!(server.url(), expected);
        back_tx.send(()).unwrap();
        server
    });
    local(async {
        let (mut a, mut b) = two_devices(&url).await;
        b.start();
        let mut ids = Vec::new();
        for i in 0..60 {
            ids.push(a.vault.create(&Note { title: format!("note {i}") }).await.unwrap());
        }
        a.start();
        // Restart as soon as the first batches reached the server.
        eventually("a started pushing", 30, || async { localful_core::Replica::of(&a.vault).pending().await.unwrap().len() < 120 }).await;
        tx.send(()).unwrap();
        signalled(back_rx, "the server restarted").await;
        eventually("b has all 60 notes", 90, || async {
            b.vault.get_many::<Note>(&ids).await.map(|e| e.len() == 60).unwrap_or(false)
        })
        .await;
        eventually("both idle", 60, || async { a.settled().await && b.settled().await }).await;
        let (sa, _) = a.state().await;
        let (sb, _) = b.state().await;
        assert_eq!(sa.len(), 60);
        assert_eq!(sa, sb);
        assert_eq!(sa, server_versions(&a.api, a.vault.id()).await);
        a.stop().await;
        b.stop().await;
    });
    drop(restarter.join().unwrap());
}

#[test]
fn an_access_token_refused_mid_sync_is_refreshed_and_nothing_is_lost() {
    let server = TestServer::start();
    local(async {
        let (mut a, mut b) = two_devices(&server.url()).await;
        let first_refresh_tokens = [&a, &b].map(|d| d.api.tokens().unwrap().refresh_token);
        a.start();
        b.start();
        let mut ids = Vec::new();
        for round in 0..3 {
            // Before each round's writes the server stops taking both devices' access tokens
            // (answered as an expired one is): pulling the other device's writes of this round
            // needs at least one refresh by each engine.
            for device in [&a, &b] {
                let tokens = device.api.tokens().unwrap();
                device.api.set_tokens(Some(Tokens { access_token: format!("refused-{round}"), ..tokens }));
            }
            for i in 0..5 {
                ids.push(a.vault.create(&Note { title: format!("round {round} note {i} on a") }).await.unwrap());
            }
            ids.push(b.vault.create(&Note { title: format!("round {round} note on b") }).await.unwrap());
        }
        for (device, name) in [(&a, "a"), (&b, "b")] {
            eventually(&format!("{name} has all 18 notes"), 60, || async {
                device.vault.get_many::<Note>(&ids).await.map(|e| e.len() == 18).unwrap_or(false)
            })
            .await;
        }
        eventually("both idle", 30, || async { a.settled().await && b.settled().await }).await;
        for (device, first) in [&a, &b].into_iter().zip(first_refresh_tokens) {
            assert_ne!(device.api.tokens().unwrap().refresh_token, first, "the engine rotated the tokens itself");
        }
        let (sa, _) = a.state().await;
        assert_eq!(sa, b.state().await.0);
        assert_eq!(sa, server_versions(&a.api, a.vault.id()).await);
        a.stop().await;
        b.stop().await;
    });
}

#[test]
fn the_connection_dropped_in_the_middle_of_a_pull_loses_nothing() {
    let mut server = TestServer::start();
    let url = server.url();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let (back_tx, back_rx) = std::sync::mpsc::channel::<()>();
    let restarter = std::thread::spawn(move || {
        rx.recv().unwrap();
        server.restart();
        back_tx.send(()).unwrap();
        server
    });
    local(async {
        let (mut a, mut b) = two_devices(&url).await;
        a.start();
        let mut ids = Vec::new();
        for i in 0..80 {
            ids.push(a.vault.create(&Note { title: format!("note {i}") }).await.unwrap());
        }
        eventually("a pushed everything", 60, || async { a.settled().await }).await;
        a.stop().await;
        // b pulls 160 changes one page (of one change) at a time. When the first page's notes are
        // applied (the store's change event, delivered synchronously inside the engine's apply),
        // b's thread stops right there while the server restarts: the drop lands between two pages,
        // on every run.
        let restart = RefCell::new(Some((tx, back_rx)));
        let applied = Rc::new(Cell::new(0_usize));
        let at_restart = Rc::new(Cell::new(None::<usize>));
        let (seen, when) = (Rc::clone(&applied), Rc::clone(&at_restart));
        let vault_id = b.vault.id();
        let _hook = b.db.events().subscribe(move |event| {
            let ChangeEvent::Items(items) = event else { return };
            if items.vault != vault_id || items.collection != Note::NAME {
                return;
            }
            seen.set(seen.get() + items.ids.len());
            if let Some((tx, back)) = restart.borrow_mut().take() {
                tx.send(()).unwrap();
                back.recv_timeout(Duration::from_secs(60)).expect("the server restarted");
                when.set(Some(seen.get()));
            }
        });
        let (engine, handle) = Engine::new(
            b.api.clone(),
            b.db.clone(),
            EngineConfig { sync: SyncConfig { page_size: 1, prefetch_pages: 1, ..fast().sync }, ..fast() },
        );
        tokio::task::spawn_local(engine.run());
        handle.add_vault(b.vault.clone());
        b.engine = Some(handle);
        eventually("b has all 80 notes", 90, || async {
            b.vault.get_many::<Note>(&ids).await.map(|e| e.len() == 80).unwrap_or(false)
        })
        .await;
        let partial = at_restart.get().expect("the server restarted during the pull");
        assert!((1..80).contains(&partial), "restarted after the first page, with {partial} of 80 notes applied");
        eventually("b idle", 60, || async { b.settled().await }).await;
        assert_eq!(b.state().await.0, server_versions(&b.api, b.vault.id()).await);
        assert_eq!(b.state().await.0, a.state().await.0);
        b.stop().await;
    });
    drop(restarter.join().unwrap());
}

#[test]
fn a_new_device_downloads_the_server_vaults_and_then_their_items() {
    let server = TestServer::start();
    local(async {
        let (mut a, b) = two_devices(&server.url()).await;
        a.start();
        let id = a.vault.create(&Note { title: "already on the server".into() }).await.unwrap();
        eventually("a pushed", 30, || async { a.settled().await }).await;

        // A new device: an empty store, its own session of the same account (b's, unused so far).
        let api = b.api.clone();
        let c_db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "c");
        let (engine, handle) = Engine::new(api, c_db.clone(), fast());
        tokio::task::spawn_local(engine.run());
        eventually("c lists the server vault", 30, || async {
            c_db.list_vaults().await.unwrap().iter().any(|v| v.id == a.vault.id() && v.sync_enabled)
        })
        .await;
        // Unlocked on c (here: opened with the key): its items follow.
        let on_c = c_db.open_vault(a.vault.id(), Rc::new(PlainCipher::new(0))).await.unwrap();
        handle.add_vault(on_c.clone());
        eventually("c has the note", 30, || async { on_c.get::<Note>(id).await.is_ok() }).await;
        handle.stop();
        a.stop().await;
    });
}

#[test]
fn a_server_restored_from_an_older_backup_gets_back_everything_from_the_devices() {
    let mut server = TestServer::start();
    local(async {
        let (mut a, mut b) = two_devices(&server.url()).await;
        a.start();
        b.start();
        let mut ids = Vec::new();
        for i in 0..3 {
            ids.push(a.vault.create(&Note { title: format!("before the backup {i}") }).await.unwrap());
        }
        eventually("b has the first notes", 30, || async {
            b.vault.get_many::<Note>(&ids).await.map(|e| e.len() == 3).unwrap_or(false)
        })
        .await;
        eventually("both idle", 30, || async { a.settled().await && b.settled().await }).await;
        let backup = server.backup();

        // After the backup: new notes on a, an edit and a version deletion on b.
        for i in 0..4 {
            ids.push(a.vault.create(&Note { title: format!("after the backup {i}") }).await.unwrap());
        }
        let edit = b.vault.update(ids[0], &Note { title: "edited on b".into() }).await.unwrap();
        let first = b.vault.history::<Note>(ids[1]).await.unwrap()[0].id;
        b.vault.update(ids[1], &Note { title: "second version".into() }).await.unwrap();
        b.vault.delete_version::<Note>(ids[1], first).await.unwrap();
        eventually("both have everything", 60, || async {
            let (sa, _) = a.state().await;
            a.settled().await && b.settled().await && sa == b.state().await.0 && sa.len() == 9
        })
        .await;
        let before = server_versions(&a.api, a.vault.id()).await;
        assert_eq!(before, a.state().await.0, "the server had everything before the restore");

        // Both devices offline; the server loses everything after the backup.
        a.stop().await;
        b.stop().await;
        server.restore(&backup);
        let restored = server_versions(&a.api, a.vault.id()).await;
        assert_eq!(restored.len(), 3, "the backup holds the first three notes only");
        let offline = a.vault.create(&Note { title: "written while the server was down".into() }).await.unwrap();

        a.start();
        b.start();
        eventually("the server has every version again", 60, || async {
            let server = server_versions(&a.api, a.vault.id()).await;
            a.settled().await && b.settled().await && server.is_superset(&before)
        })
        .await;
        let (sa, ca) = a.state().await;
        let (sb, cb) = b.state().await;
        assert_eq!(sa, sb, "same versions on both devices");
        assert_eq!(ca, cb, "same current versions on both devices");
        assert_eq!(sa, server_versions(&a.api, a.vault.id()).await, "and on the server");
        assert!(sa.is_superset(&before), "nothing that existed before the restore is missing");
        assert!(sa.contains(&(ids[1], first, false)), "the deletion made after the backup is back on the server");
        assert!(sa.iter().any(|(i, _, _)| *i == offline), "the offline note synced too");
        assert_eq!(a.vault.get::<Note>(ids[0]).await.unwrap().version.id, edit);
        a.stop().await;
        b.stop().await;
    });
}

#[test]
fn the_outbox_is_read_when_the_vault_joins_and_then_kept_from_change_events() {
    let server = TestServer::start();
    local(async {
        let (mut a, b) = two_devices(&server.url()).await;
        a.start();
        // Device b as in a browser: the worker's database, over a store that counts outbox reads,
        // and a tab's, over the same storage, whose change events reach the worker as JSON (what the
        // events channel carries; natively there is no BroadcastChannel).
        let counted = CountingStore::new(b.db.shared_store());
        let worker = Database::new(Rc::new(counted.clone()), Schema::new().with::<Note>(), EventBus::local(), "b");
        let worker_vault = worker.open_vault(b.vault.id(), Rc::new(PlainCipher::new(0))).await.unwrap();
        let to_worker = worker.events().clone();
        let _channel = b.db.events().subscribe(move |event| {
            let json = serde_json::to_string(event).unwrap();
            to_worker.emit(&serde_json::from_str(&json).unwrap());
        });
        let tab = &b.vault;
        let (engine, handle) = Engine::new(b.api.clone(), worker.clone(), fast());
        tokio::task::spawn_local(engine.run());
        handle.add_vault(worker_vault);
        let idle = |what: &'static str| {
            let handle = handle.clone();
            async move {
                let status = tokio::time::timeout(Duration::from_secs(30), handle.wait_for(|s| *s == SyncStatus::Idle)).await;
                assert_eq!(status.ok(), Some(SyncStatus::Idle), "{what}");
            }
        };
        idle("b joined").await;
        assert_eq!(counted.outbox_reads(), 1, "one read, when the vault joined");

        // Changes from the server: the worker applies them (emitting change events of its own).
        let id = a.vault.create(&Note { title: "from a".into() }).await.unwrap();
        let mut last = VersionId::new();
        for i in 0..3 {
            last = a.vault.update(id, &Note { title: format!("edit {i} on a") }).await.unwrap();
        }
        eventually("b has a's last edit", 30, || async { tab.get::<Note>(id).await.map(|e| e.version.id == last).unwrap_or(false) }).await;
        idle("b applied a's changes").await;
        assert_eq!(counted.outbox_reads(), 1, "applying the server's changes read no outbox");

        // The tab writes: the worker pushes from the event, and the ack needs no read either.
        let edit = tab.update(id, &Note { title: "edited in b's tab".into() }).await.unwrap();
        let other = tab.create(&Note { title: "created in b's tab".into() }).await.unwrap();
        eventually("a has the tab's edit and note", 30, || async {
            let edited = a.vault.get::<Note>(id).await.map(|e| e.version.id == edit).unwrap_or(false);
            edited && a.vault.get::<Note>(other).await.is_ok()
        })
        .await;
        tab.delete::<Note>(other).await.unwrap();
        eventually("a has the tab's deletion", 30, || async {
            matches!(a.vault.get::<Note>(other).await, Err(Error::Store(StoreError::ItemDeleted(_))))
        })
        .await;
        eventually("b's outbox drained", 30, || async { Replica::of(tab).pending().await.unwrap().is_empty() }).await;
        idle("b pushed everything").await;
        assert_eq!(counted.outbox_reads(), 1, "pushing the tab's writes read no outbox");
        let (sa, sb) = (a.state().await, b.state().await);
        assert_eq!(sa, sb, "both devices hold the same versions");
        let on_server = server_versions(&a.api, a.vault.id()).await;
        assert!(on_server.is_superset(&sa.0), "and so does the server");
        assert!(on_server.iter().any(|(i, _, live)| *i == other && !live), "with the deleted note's version deleted");

        handle.stop();
        let gone = tokio::time::timeout(Duration::from_secs(30), handle.wait_for(|_| false));
        gone.await.expect("the engine stopped");
        a.stop().await;
    });
}
