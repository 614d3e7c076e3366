//! The worker host's tab protocol against a real localful-server (in-process): register and log
//! in as a page does (over HTTP, `http::sign_in`) and hand the host the session, tokens handed to
//! tabs to persist, vaults with `sync_enabled` synced once a
//! key is available, status broadcast to tabs, wrong credentials answered with the server's
//! identifier, logout.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod engine_support;

use engine_support::{TestServer, uuid_like};
use localful_core::crypto::Cipher;
use localful_core::sync::{SyncConfig, SyncError, SyncStatus};
use localful_core::testing::PlainCipher;
use localful_core::wire::{ErrorKind, Tokens};
use localful_worker::tab_protocol::{AuthState, PROTOCOL_VERSION, SyncPhase, SyncState, TabMessage, WorkerMessage};
use localful_core::*;
use localful_worker::engine::EngineConfig;
use localful_worker::host::{Host, HostConfig, TabId};
use localful_worker::http::{APP_SALT, Api, Credentials, SignInError, SignedIn, sign_in};
use localful_worker::session::{Clock, ManualClock, SharedClock};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Note {
    title: String,
}

impl Collection for Note {
    const NAME: &'static str = "notes";
}

struct Browser {
    db: Database,
    host: Rc<Host>,
    tab: TabId,
    inbox: Rc<RefCell<Vec<WorkerMessage>>>,
}

impl Browser {
    fn new(name: &str) -> Browser {
        Browser::with_clock(name, EngineConfig::default().clock)
    }

    /// A browser whose worker reads `clock` for every deadline.
    fn with_clock(name: &str, clock: SharedClock) -> Browser {
        let db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), name);
        let for_host = db.clone();
        let config = HostConfig {
            open_database: Rc::new(move |_, _| for_host.clone()),
            key_for: Rc::new(|_, _| Box::pin(async { Some(Rc::new(PlainCipher::new(0)) as Rc<dyn Cipher>) })),
            spawn: Rc::new(|f| {
                tokio::task::spawn_local(f);
            }),
            engine: EngineConfig {
                sync: SyncConfig { debounce_ms: 20, min_push_interval_ms: 10, poll_ms: 1_000, ..SyncConfig::default() },
                ack_timeout: Duration::from_secs(5),
                clock,
                ..EngineConfig::default()
            },
        };
        let host = Host::new(config);
        let inbox = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&inbox);
        let tab = host.add_tab(Rc::new(move |m: &WorkerMessage| sink.borrow_mut().push(m.clone())));
        Browser { db, host, tab, inbox }
    }

    fn say(&self, message: TabMessage) {
        self.host.receive(self.tab, message);
    }

    /// What a tab does to log in or register: over HTTP itself, then the session to its worker as
    /// request `request`. The worker's reply (`None`: adopted), or why the server refused.
    async fn sign_in(
        &self,
        request: u64,
        server_url: &str,
        credentials: Credentials,
    ) -> Result<Option<SyncError>, SignInError> {
        let SignedIn { user, tokens } = sign_in(server_url, credentials).await?;
        self.say(TabMessage::SignedIn { request, user, tokens });
        Ok(self.reply(request).await)
    }

    fn replied(&self, request: u64) -> Option<Option<SyncError>> {
        self.inbox.borrow().iter().find_map(|m| match m {
            WorkerMessage::Reply { request: r, error } if *r == request => Some(error.clone()),
            _ => None,
        })
    }

    async fn reply(&self, request: u64) -> Option<SyncError> {
        eventually("the reply", 60, || async { self.replied(request).is_some() }).await;
        self.replied(request).flatten()
    }

    fn saw(&self, pred: impl Fn(&WorkerMessage) -> bool) -> bool {
        self.inbox.borrow().iter().any(pred)
    }
}

fn register(email: &str, display_name: &str) -> Credentials {
    Credentials::Register {
        email: email.into(),
        display_name: display_name.into(),
        password: "account password".into(),
    }
}

fn log_in(email: &str, password: &str) -> Credentials {
    Credentials::LogIn { email: email.into(), password: password.into() }
}

/// The first message of a tab of app "test-app" on device "a".
fn hello(server_url: String, refresh_token: Option<String>) -> TabMessage {
    TabMessage::Hello { app_name: "test-app".into(), server_url, device_name: "a".into(), refresh_token, sync: None, protocol: PROTOCOL_VERSION }
}

#[test]
fn a_tab_of_another_app_version_is_told_so_and_nothing_else() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&rt, async {
        let a = Browser::new("a");
        let newer = PROTOCOL_VERSION + 1;
        let TabMessage::Hello { app_name, server_url, device_name, refresh_token, sync, .. } =
            hello("http://127.0.0.1:9".into(), None)
        else {
            unreachable!()
        };
        a.say(TabMessage::Hello { app_name, server_url, device_name, refresh_token, sync, protocol: newer });
        eventually("the tab hears the versions differ", 10, || async {
            a.saw(|m| *m == WorkerMessage::VersionMismatch { worker: PROTOCOL_VERSION, tab: newer })
        })
        .await;
        // Answered in the same step as the mismatch, had the hello been taken.
        assert!(!a.saw(|m| matches!(m, WorkerMessage::State { .. })), "{:?}", a.inbox);
    });
}

/// A browser that registers `email` as `display_name` and returns the refresh token its tab was
/// given to keep (what a reloaded tab hands its new worker).
async fn register_and_keep_token(server_url: String, email: &str, display_name: &str) -> String {
    let first = Browser::new("first");
    first.say(hello(server_url.clone(), None));
    assert_eq!(first.sign_in(1, &server_url, register(email, display_name)).await, Ok(None));
    let kept = first.inbox.borrow().iter().rev().find_map(|m| match m {
        WorkerMessage::Tokens { refresh_token: Some(t) } => Some(t.clone()),
        _ => None,
    });
    kept.expect("the tab was given a refresh token to keep")
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
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn tabs_register_log_in_sync_and_log_out_through_the_host() {
    let server = TestServer::start();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&rt, async {
        let email = format!("{}@example.test", uuid_like());
        let hello = |device: &str| TabMessage::Hello {
            app_name: "test-app".into(),
            server_url: server.url(),
            device_name: device.into(),
            refresh_token: None,
            sync: None,
            protocol: PROTOCOL_VERSION,
        };
        let a = Browser::new("a");
        a.say(hello("a"));
        eventually("a's tab hears it is logged out, and that it is not syncing", 10, || async {
            a.saw(|m| {
                matches!(m, WorkerMessage::State { sync: SyncState { phase: SyncPhase::SignedOut, .. }, auth: AuthState::LoggedOut })
            })
        })
        .await;

        assert_eq!(a.sign_in(1, &server.url(), register(&email, "Tester")).await, Ok(None));
        assert!(a.saw(
            |m| matches!(m, WorkerMessage::State { sync: _, auth: AuthState::LoggedIn { user: Some(u) } } if u.email == email)
        ));
        assert!(
            a.saw(|m| matches!(m, WorkerMessage::Tokens { refresh_token: Some(_) })),
            "the tab is told the refresh token to keep"
        );

        let b = Browser::new("b");
        b.say(hello("b"));
        let refused = b.sign_in(1, &server.url(), log_in(&email, "wrong password")).await.unwrap_err();
        assert_eq!(refused.kind(), Some(&ErrorKind::AuthCredentialsInvalid));
        assert_eq!(refused.to_string(), "Wrong email or password.", "plain words");
        assert!(matches!(refused.error(), SyncError::Server { kind: ErrorKind::AuthCredentialsInvalid, .. }));
        assert_eq!(b.replied(1), None, "a refused login never reaches the worker");
        assert_eq!(b.host.auth(), AuthState::LoggedOut);
        let taken = a.sign_in(9, &server.url(), register(&email, "Again")).await.unwrap_err();
        assert_eq!(taken.kind(), Some(&ErrorKind::UserEmailExists), "{taken}");
        assert_eq!(b.sign_in(2, &server.url(), log_in(&email, "account password")).await, Ok(None));

        // A synced vault on a, known to b.
        let vault = a.db.create_vault("Notes", "v1:key").await.unwrap();
        let vault = a.db.update_vault(vault.id, |v| v.sync_enabled = true).await.unwrap();
        b.db.apply_remote_vault(vault.clone()).await.unwrap();
        a.say(TabMessage::Refresh);
        b.say(TabMessage::Refresh);
        let on_a = a.db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
        let on_b = b.db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
        let id = on_a.create(&Note { title: "through the hosts".into() }).await.unwrap();
        eventually("b gets the note", 60, || async { on_b.get::<Note>(id).await.is_ok() }).await;
        eventually("both tabs hear the status go idle", 30, || async {
            [&a, &b].iter().all(|x| x.saw(|m| matches!(m, WorkerMessage::State { sync: SyncState { phase: SyncPhase::UpToDate, pending: 0, .. }, .. })))
        })
        .await;

        // A second tab of b's browser shares b's host (one engine, one socket): it is told the
        // session and status at once, and sees the status of syncing a's next note.
        let second: Rc<RefCell<Vec<WorkerMessage>>> = Rc::default();
        let sink = Rc::clone(&second);
        let tab2 = b.host.add_tab(Rc::new(move |m: &WorkerMessage| sink.borrow_mut().push(m.clone())));
        b.host.receive(tab2, hello("b"));
        eventually("the second tab hears the shared session", 10, || async {
            second.borrow().iter().any(|m| matches!(m, WorkerMessage::State { auth: AuthState::LoggedIn { .. }, .. }))
        })
        .await;
        let next = on_a.create(&Note { title: "seen by both tabs".into() }).await.unwrap();
        eventually("b gets a's next note", 60, || async { on_b.get::<Note>(next).await.is_ok() }).await;
        eventually("the second tab hears the status", 10, || async {
            second.borrow().iter().any(|m| matches!(m, WorkerMessage::State { sync: SyncState { phase: SyncPhase::UpToDate, pending: 0, .. }, .. }))
        })
        .await;

        b.say(TabMessage::Logout { request: 3 });
        assert_eq!(b.reply(3).await, None);
        assert!(
            b.saw(|m| matches!(m, WorkerMessage::Tokens { refresh_token: None })),
            "the tab is told to forget the token"
        );
        assert_eq!(b.host.auth(), AuthState::LoggedOut);
        assert_eq!(b.host.status(), SyncStatus::Offline);
        assert_eq!(b.host.sync_state().phase, SyncPhase::SignedOut);
    });
}

#[test]
fn a_refresh_token_the_server_no_longer_takes_reads_as_expired_and_a_new_login_resumes() {
    let server = TestServer::start();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&rt, async {
        let email = format!("{}@example.test", uuid_like());
        let kept = register_and_keep_token(server.url(), &email, "Tester").await;

        // While the browser is closed the session ends (signed out elsewhere: the server answers
        // it as it answers an expired one, without the wait that made a 1 s lifetime racy); a tab
        // opens with the kept token.
        let elsewhere = Api::new(server.url());
        elsewhere.set_tokens(Some(Tokens { access_token: String::new(), refresh_token: kept.clone() }));
        elsewhere.logout().await.unwrap();
        let later = Browser::new("later");
        later.say(hello(server.url(), Some(kept)));
        eventually("the tab hears the session expired", 30, || async {
            later.saw(|m| matches!(m, WorkerMessage::State { sync: _, auth: AuthState::Expired }))
        })
        .await;
        assert!(
            later.saw(|m| matches!(m, WorkerMessage::Tokens { refresh_token: None })),
            "the tab is told to forget the refused token"
        );
        assert_eq!(later.host.auth(), AuthState::Expired);
        assert_eq!(later.host.status(), SyncStatus::Offline);
        assert_eq!(later.host.sync_state().phase, SyncPhase::Expired);

        assert_eq!(later.sign_in(2, &server.url(), log_in(&email, "account password")).await, Ok(None));
        assert!(matches!(later.host.auth(), AuthState::LoggedIn { user: Some(_) }));
    });
}

#[test]
fn the_sync_settings_of_the_first_tab_reach_the_engine() {
    let server = TestServer::start();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&rt, async {
        // The host's own debounce is 20 ms; the app asks for 2.5 s. Time is the manual clock's.
        let slow = SyncConfig { debounce_ms: 2_500, max_delay_ms: 2_500, ..SyncConfig::default() };
        let debounce = Duration::from_millis(2_500);
        let email = format!("{}@example.test", uuid_like());
        let hello = |sync: Option<SyncConfig>| TabMessage::Hello {
            app_name: "test-app".into(),
            server_url: server.url(),
            device_name: "a".into(),
            refresh_token: None,
            sync,
            protocol: PROTOCOL_VERSION,
        };
        let clock = ManualClock::new();
        let a = Browser::with_clock("a", Arc::new(clock.clone()));
        a.say(hello(Some(slow)));
        a.say(hello(Some(SyncConfig { debounce_ms: 1, ..slow })));
        assert_eq!(a.sign_in(1, &server.url(), register(&email, "Tester")).await, Ok(None));
        assert_eq!(a.host.engine_config().sync, slow, "the first Hello's settings, not a later tab's");

        let vault = a.db.create_vault("Notes", "v1:key").await.unwrap();
        a.db.update_vault(vault.id, |v| v.sync_enabled = true).await.unwrap();
        a.say(TabMessage::Refresh);
        let on_a = a.db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
        let first = on_a.create(&Note { title: "first".into() }).await.unwrap();
        let first_due = clock.now() + debounce;
        eventually("the engine, online, waits to push the first note", 60, || async {
            matches!(a.host.status(), SyncStatus::Syncing { .. }) && clock.deadlines().contains(&first_due)
        })
        .await;
        clock.advance(debounce);
        eventually("the first note is pushed", 60, || async {
            localful_core::Replica::of(&on_a).pending().await.unwrap().is_empty() && a.host.status() == SyncStatus::Idle
        })
        .await;

        // Connected and idle: a new note waits out the app's debounce before it is pushed.
        let server_api = Api::new(server.url());
        let server_password = localful_core::crypto::server_password("account password", &email, APP_SALT).await.unwrap();
        server_api.login(&email, &server_password).await.unwrap();
        let on_server = || async {
            let page = server_api.changes(vault.id, 0, 100).await.unwrap();
            page.results.iter().filter_map(|c| c.version.as_ref().map(|v| v.item_id)).collect::<BTreeSet<ItemId>>()
        };
        assert_eq!(on_server().await, BTreeSet::from([first]));
        let written = clock.now();
        let second = on_a.create(&Note { title: "second".into() }).await.unwrap();
        // The engine has read the write: it shows it pending and waits for the debounce's end.
        eventually("the engine waits out the debounce", 60, || async {
            matches!(a.host.status(), SyncStatus::Syncing { .. }) && clock.deadlines().contains(&(written + debounce))
        })
        .await;
        // Tabs are shown the one change waiting, and not "up to date".
        eventually("the tabs are told one change waits", 60, || async {
            let shown = a.host.sync_state();
            shown.phase == SyncPhase::Sending && shown.pending == 1 && shown.last_synced.is_some()
        })
        .await;
        assert!(a.saw(|m| matches!(m, WorkerMessage::State { sync: SyncState { phase: SyncPhase::Sending, pending: 1, .. }, .. })));
        clock.advance(debounce - Duration::from_millis(1));
        assert_eq!(on_server().await, BTreeSet::from([first]), "pushed before the debounce's end");
        assert!(clock.deadlines().contains(&(written + debounce)), "the engine still waits for the debounce");
        assert!(!localful_core::Replica::of(&on_a).pending().await.unwrap().is_empty(), "still waiting out the debounce");
        clock.advance(Duration::from_millis(1));
        eventually("the second note is pushed at the debounce's end", 60, || async {
            localful_core::Replica::of(&on_a).pending().await.unwrap().is_empty()
        })
        .await;
        assert_eq!(on_server().await, BTreeSet::from([first, second]));
        eventually("the tabs are told everything is sent", 60, || async {
            let shown = a.host.sync_state();
            shown.phase == SyncPhase::UpToDate && shown.pending == 0
        })
        .await;
    });
}

/// Notes written in a vault before its sync is switched on: no state shown beside that vault says
/// it is up to date before the server has them. The state from just before (connected, no vault
/// synced) said "up to date" of the other vaults; read as the vault's, it let a person close the
/// browser on notes that were on this device only (the eviction e2e lost them so when the browser
/// then cleared its storage). The clock stands still, so the push waits out its debounce for as
/// long as the test looks.
#[test]
fn a_vault_switched_to_sync_is_up_to_date_only_once_the_server_has_its_notes() {
    let server = TestServer::start();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&rt, async {
        let slow = SyncConfig { debounce_ms: 2_500, max_delay_ms: 2_500, ..SyncConfig::default() };
        let debounce = Duration::from_millis(2_500);
        let email = format!("{}@example.test", uuid_like());
        let clock = ManualClock::new();
        let a = Browser::with_clock("a", Arc::new(clock.clone()));
        a.say(TabMessage::Hello {
            app_name: "test-app".into(),
            server_url: server.url(),
            device_name: "a".into(),
            refresh_token: None,
            sync: Some(slow),
            protocol: PROTOCOL_VERSION,
        });
        let vault = a.db.create_vault("Notes", "v1:key").await.unwrap();
        let on_a = a.db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
        let note = on_a.create(&Note { title: "written before sync".into() }).await.unwrap();
        assert_eq!(a.sign_in(1, &server.url(), register(&email, "Tester")).await, Ok(None));
        eventually("connected, with no vault to sync: up to date", 60, || async {
            a.host.sync_state().phase == SyncPhase::UpToDate
        })
        .await;
        let before = a.host.sync_state();

        let vault = a.db.update_vault(vault.id, |v| v.sync_enabled = true).await.unwrap();
        a.say(TabMessage::Refresh);
        assert_eq!(before.for_vault(&vault).phase, SyncPhase::Connecting, "the state from before is not the vault's");
        let written = clock.now();
        eventually("the engine has the vault, uploaded, and waits to push its note", 60, || async {
            matches!(a.host.status(), SyncStatus::Syncing { .. }) && clock.deadlines().contains(&(written + debounce))
        })
        .await;
        let server_api = Api::new(server.url());
        let server_password = localful_core::crypto::server_password("account password", &email, APP_SALT).await.unwrap();
        server_api.login(&email, &server_password).await.unwrap();
        let on_server = || async {
            let page = server_api.changes(vault.id, 0, 100).await.unwrap();
            page.results.iter().filter_map(|c| c.version.as_ref().map(|v| v.item_id)).collect::<BTreeSet<ItemId>>()
        };
        assert!(on_server().await.is_empty(), "nothing pushed before the debounce's end");
        eventually("the tabs are told the vault's change waits", 60, || async {
            let shown = a.host.sync_state();
            shown.vaults == vec![vault.id] && shown.phase == SyncPhase::Sending && shown.pending == 1
        })
        .await;
        let up_to_date = |m: &WorkerMessage| {
            matches!(m, WorkerMessage::State { sync, .. } if sync.for_vault(&vault).phase == SyncPhase::UpToDate)
        };
        assert!(!a.saw(up_to_date), "no state so far says the vault is up to date: {:?}", a.inbox);

        clock.advance(debounce);
        eventually("the tabs are told the vault is up to date", 60, || async { a.saw(up_to_date) }).await;
        assert_eq!(on_server().await, BTreeSet::from([note]));
        assert!(localful_core::Replica::of(&on_a).pending().await.unwrap().is_empty());
    });
}

#[test]
fn a_session_restored_from_the_stored_refresh_token_reports_the_user() {
    let server = TestServer::start();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&rt, async {
        let email = format!("{}@example.test", uuid_like());
        let kept = register_and_keep_token(server.url(), &email, "Restored Tester").await;

        // The tab reloads: a new worker, given only the stored refresh token.
        let reloaded = Browser::new("reloaded");
        reloaded.say(hello(server.url(), Some(kept)));
        eventually("the restored session names its user", 30, || async {
            reloaded.saw(|m| {
                matches!(m, WorkerMessage::State { sync: _, auth: AuthState::LoggedIn { user: Some(u) } }
                    if u.email == email && u.display_name == "Restored Tester")
            })
        })
        .await;
        assert!(
            reloaded.saw(|m| matches!(m, WorkerMessage::State { sync: _, auth: AuthState::LoggedIn { user: None } })),
            "logged in at once, the details follow"
        );
        assert!(matches!(reloaded.host.auth(), AuthState::LoggedIn { user: Some(_) }));
    });
}

#[test]
fn a_sign_in_the_server_cannot_answer_says_what_to_check() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        // Nothing listens on the discard port here.
        let refused = sign_in("http://127.0.0.1:9", log_in("a@example.test", "s3cret-account-pw")).await.unwrap_err();
        assert!(matches!(refused, SignInError::Http { .. }), "{refused:?}");
        assert_eq!(refused.kind(), None);
        let said = refused.to_string();
        assert!(said.starts_with("Could not reach the sync server at http://127.0.0.1:9. "), "{said}");
        assert_eq!(refused.error(), SyncError::Unreachable { server: "http://127.0.0.1:9".into(), origin: None });
        assert!(!said.contains("s3cret") && !format!("{refused:?}").contains("s3cret"), "{said}");
    });
}

#[test]
fn a_server_that_cannot_be_reached_shows_the_next_retry_and_retry_now_tries_at_once() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&rt, async {
        // Nothing listens on the discard port here; the clock stands still, so any new attempt
        // is the one asked for.
        let clock = ManualClock::new();
        let a = Browser::with_clock("a", Arc::new(clock.clone()));
        a.say(hello("http://127.0.0.1:9".into(), Some("a stored refresh token".into())));
        let waiting = |shown: &SyncState| match shown.phase {
            SyncPhase::Unreachable { retry_in_ms: Some(ms) } => Some(ms),
            _ => None,
        };
        eventually("the tab is told the server cannot be reached, and when the next attempt is", 30, || async {
            waiting(&a.host.sync_state()).is_some()
        })
        .await;
        // The first backoff: 1 s ± 50 %, from now (the clock has not moved).
        let first = waiting(&a.host.sync_state()).unwrap();
        assert!((500..=1_500).contains(&first), "{first} ms");
        assert!(matches!(a.host.auth(), AuthState::LoggedIn { .. }), "still logged in: only the server is away");
        // "Retrying now" (an attempt under way) is only shown once an attempt starts, which
        // with the clock standing still only "Retry now" can start.
        let trying = || a.saw(|m| matches!(m, WorkerMessage::State { sync: SyncState { phase: SyncPhase::Unreachable { retry_in_ms: None }, .. }, .. }));
        assert!(!trying(), "no second attempt before the backoff ends: {:?}", a.inbox);
        a.say(TabMessage::RetryNow);
        // The attempt is seen under way, or (when it failed before the engine looked) by the next
        // wait: the second backoff (2 s ± 50 %), again from now.
        eventually("retry now makes a new attempt at once", 30, || async {
            let next = waiting(&a.host.sync_state());
            (trying() && next.is_some()) || next.is_some_and(|ms| ms != first)
        })
        .await;
        let second = waiting(&a.host.sync_state()).unwrap();
        assert!((1_000..=3_000).contains(&second), "{second} ms");
    });
}
