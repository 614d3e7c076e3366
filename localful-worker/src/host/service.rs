//! [`Host`]: one worker's state and the handling of tab messages.

use crate::engine::{Engine, EngineConfig, EngineHandle, EngineState};
use crate::explain;
use crate::http::{Api, HttpError};
use crate::runtime::{network_available, page_origin};
use crate::session::Clock;
use crate::sync_state::{self, Inputs, SyncState};
use futures::StreamExt;
use futures::channel::mpsc;
use futures::future::LocalBoxFuture;
use localful_core::crypto::Cipher;
use localful_core::sync::{SyncConfig, SyncError, SyncStatus};
use crate::tab_protocol::{AuthState, PROTOCOL_VERSION, TabMessage, WorkerMessage};
use localful_core::wire::{Tokens, User};
use localful_core::{Database, ChangeEvent, VaultAction, VaultId};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;

/// Identifies a connected tab (or transport).
pub type TabId = u64;

/// Sends a message to one tab.
pub type TabSender = Rc<dyn Fn(&WorkerMessage)>;

/// Opens the app's database: `(app name, device name)`.
pub type OpenDatabase = Rc<dyn Fn(&str, &str) -> Database>;

/// The unlocked key of a vault, if some tab has it: `(app name, vault)`.
pub type KeyFor = Rc<dyn Fn(&str, VaultId) -> LocalBoxFuture<'static, Option<Rc<dyn Cipher>>>>;

/// What the host needs from its platform.
#[derive(Clone)]
pub struct HostConfig {
    /// Opens the app's database: `(app name, device name)`.
    pub open_database: OpenDatabase,
    /// The unlocked key of a vault, if some tab has it: `(app name, vault)`.
    pub key_for: KeyFor,
    /// Runs a future on the local executor.
    pub spawn: Rc<dyn Fn(LocalBoxFuture<'static, ()>)>,
    /// The engine's settings (their [`SyncConfig`] replaced by the one of the first tab's `Hello`,
    /// if it brings one). Their clock also times the host's own retries (fetching the user).
    pub engine: EngineConfig,
}

impl std::fmt::Debug for HostConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostConfig").field("engine", &self.engine).finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    app: String,
    api: Option<Api>,
    db: Option<Database>,
    engine: Option<EngineHandle>,
    syncing: BTreeSet<VaultId>,
    auth: AuthState,
    /// What the running engine last reported (the default when none runs).
    engine_state: EngineState,
    /// What tabs were last told.
    shown: SyncState,
    /// The app's sync settings, from the first `Hello`.
    sync: Option<SyncConfig>,
    tabs: Vec<(TabId, TabSender)>,
    next_tab: TabId,
}

/// The worker's service: one per worker, shared by every tab.
pub struct Host {
    config: HostConfig,
    state: RefCell<State>,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host").field("auth", &self.state.borrow().auth).finish_non_exhaustive()
    }
}


impl Host {
    /// A host with no tab yet.
    pub fn new(config: HostConfig) -> Rc<Host> {
        let state = State { auth: AuthState::LoggedOut, ..State::default() };
        Rc::new(Host { config, state: RefCell::new(state) })
    }

    /// Registers a tab; messages for it go to `send`.
    pub fn add_tab(&self, send: TabSender) -> TabId {
        let mut state = self.state.borrow_mut();
        state.next_tab += 1;
        let id = state.next_tab;
        state.tabs.push((id, send));
        id
    }

    /// Forgets a tab.
    pub fn remove_tab(&self, tab: TabId) {
        self.state.borrow_mut().tabs.retain(|(id, _)| *id != tab);
    }

    /// The current session.
    pub fn auth(&self) -> AuthState {
        self.state.borrow().auth.clone()
    }

    /// The status of the vaults the engine syncs (`Offline` when none runs).
    pub fn status(&self) -> SyncStatus {
        self.state.borrow().engine_state.status.clone()
    }

    /// What tabs are shown about sync.
    pub fn sync_state(&self) -> SyncState {
        self.state.borrow().shown.clone()
    }

    /// The message telling a tab the session and the sync state.
    fn state_message(&self) -> WorkerMessage {
        let state = self.state.borrow();
        WorkerMessage::State { auth: state.auth.clone(), sync: state.shown.clone() }
    }

    /// Derives the sync state again ([`sync_state::derive`], the one place it is computed) and
    /// tells every tab when it, or the session, changed.
    fn publish(&self, auth_changed: bool) {
        let changed = {
            let mut state = self.state.borrow_mut();
            let inputs = Inputs {
                auth: &state.auth,
                link: &state.engine_state.link,
                vaults: &state.engine_state.status,
                pending: state.engine_state.pending,
                covered: &state.engine_state.vaults,
                network: network_available(),
                now: self.config.engine.clock.now(),
                wall: localful_core::Timestamp::now(),
            };
            let next = sync_state::derive(&state.shown, &inputs);
            let changed = next != state.shown;
            state.shown = next;
            changed
        };
        if changed || auth_changed {
            self.broadcast(&self.state_message());
        }
    }

    fn send_to(&self, tab: TabId, message: &WorkerMessage) {
        let target = self.state.borrow().tabs.iter().find(|(id, _)| *id == tab).map(|(_, s)| Rc::clone(s));
        if let Some(send) = target {
            send(message);
        }
    }

    /// Sends `message` to every tab.
    pub fn broadcast(&self, message: &WorkerMessage) {
        let tabs: Vec<TabSender> = self.state.borrow().tabs.iter().map(|(_, s)| Rc::clone(s)).collect();
        for send in tabs {
            send(message);
        }
    }

    fn set_auth(&self, auth: AuthState) {
        let changed = {
            let mut state = self.state.borrow_mut();
            let changed = state.auth != auth;
            state.auth = auth;
            changed
        };
        self.publish(changed);
    }

    /// Handles one message from tab `tab`.
    pub fn receive(self: &Rc<Self>, tab: TabId, message: TabMessage) {
        let host = Rc::clone(self);
        (self.config.spawn)(Box::pin(async move { host.handle(tab, message).await }));
    }

    async fn handle(self: Rc<Self>, tab: TabId, message: TabMessage) {
        match message {
            TabMessage::Hello { protocol, .. } if protocol != PROTOCOL_VERSION => {
                self.send_to(tab, &WorkerMessage::VersionMismatch { worker: PROTOCOL_VERSION, tab: protocol });
            }
            TabMessage::Hello { app_name, server_url, device_name, refresh_token, sync, .. } => {
                self.configure(&app_name, &server_url, &device_name, refresh_token, sync);
                // Derived now: the first tab may come before anything else happened.
                self.publish(false);
                self.send_to(tab, &self.state_message());
            }
            TabMessage::SignedIn { request, user, tokens } => {
                let result = self.adopt(user, tokens);
                self.send_to(tab, &WorkerMessage::Reply { request, error: result.err() });
            }
            TabMessage::Logout { request } => {
                self.stop_engine();
                // Before the tokens are dropped, so that dropping them does not read as an expiry.
                self.set_auth(AuthState::LoggedOut);
                let api = self.state.borrow().api.clone();
                let result = match api {
                    Some(api) => api.logout().await.map_err(|e| explain::http_error(&e, api.base_url(), page_origin().as_deref())),
                    None => Ok(()),
                };
                self.set_auth(AuthState::LoggedOut);
                self.send_to(tab, &WorkerMessage::Reply { request, error: result.err() });
            }
            TabMessage::Refresh => self.sync_vaults().await,
            TabMessage::RetryNow => {
                let engine = self.state.borrow().engine.clone();
                if let Some(engine) = engine {
                    engine.retry_now();
                }
            }
            TabMessage::Bye => self.remove_tab(tab),
        }
    }

    /// The network came or went (`online`/`offline` in the worker): derives the sync state again,
    /// and when the network is back, tries the connection now instead of after its backoff.
    pub fn network_changed(&self) {
        self.publish(false);
        let engine = self.state.borrow().engine.clone();
        if let (true, Some(engine)) = (network_available(), engine) {
            engine.retry_now();
        }
    }

    /// The first `Hello` sets the app, server and database; later ones only bring tabs.
    fn configure(
        self: &Rc<Self>,
        app: &str,
        server_url: &str,
        device: &str,
        refresh_token: Option<String>,
        sync: Option<SyncConfig>,
    ) {
        if self.state.borrow().api.is_some() {
            return;
        }
        let (tokens_tx, mut tokens_rx) = mpsc::unbounded::<Option<Tokens>>();
        let listener: crate::http::TokenListener = Arc::new(move |t: Option<&Tokens>| {
            let _ = tokens_tx.unbounded_send(t.cloned());
        });
        let api = Api::new(server_url).with_listener(listener);
        let db = (self.config.open_database)(app, device);
        {
            let mut state = self.state.borrow_mut();
            state.app = app.to_owned();
            state.sync = sync;
            state.api = Some(api.clone());
            state.db = Some(db.clone());
        }
        // Rotated tokens go to every tab (to persist); a refused refresh ends the session: tabs are
        // told it expired (a logout has already said `LoggedOut`).
        let host = Rc::clone(self);
        (self.config.spawn)(Box::pin(async move {
            while let Some(tokens) = tokens_rx.next().await {
                let refresh_token = tokens.as_ref().map(|t| t.refresh_token.clone());
                host.broadcast(&WorkerMessage::Tokens { refresh_token });
                match tokens {
                    Some(_) if !matches!(host.auth(), AuthState::LoggedIn { .. }) => {
                        host.set_auth(AuthState::LoggedIn { user: None })
                    }
                    None => {
                        host.stop_engine();
                        if matches!(host.auth(), AuthState::LoggedIn { .. }) {
                            host.set_auth(AuthState::Expired);
                        }
                    }
                    _ => {}
                }
            }
        }));
        // Vaults unlocked, locked or switched to sync in any tab.
        let host = Rc::clone(self);
        let mut events = db.events().stream();
        (self.config.spawn)(Box::pin(async move {
            while let Some(event) = events.next().await {
                if let ChangeEvent::Vault { vault, action } = event {
                    match action {
                        VaultAction::Unlocked | VaultAction::Updated | VaultAction::Created | VaultAction::Opened => {
                            host.sync_vaults().await
                        }
                        VaultAction::Locked | VaultAction::Deleted => host.stop_vault(vault),
                        _ => {}
                    }
                }
            }
        }));
        if let Some(refresh_token) = refresh_token {
            api.set_tokens(Some(Tokens { access_token: String::new(), refresh_token }));
            self.set_auth(AuthState::LoggedIn { user: None });
            self.start_engine();
            let host = Rc::clone(self);
            (self.config.spawn)(Box::pin(async move { host.fetch_user(api).await }));
        }
    }

    /// A session restored from a stored refresh token knows no user details: fetch them (again
    /// and again while the server cannot be reached), as long as the session is that one.
    async fn fetch_user(self: Rc<Self>, api: Api) {
        let mut wait = std::time::Duration::from_secs(1);
        while matches!(self.auth(), AuthState::LoggedIn { user: None }) {
            match api.current_user().await {
                Ok(user) => {
                    if matches!(self.auth(), AuthState::LoggedIn { user: None }) {
                        self.set_auth(AuthState::LoggedIn { user: Some(user) });
                    }
                    return;
                }
                // The session is over (the token listener says so) or the answer is not a user.
                Err(e) if e.is_auth() || matches!(e, HttpError::Decode(_)) => return,
                Err(_) => {
                    let clock = &self.config.engine.clock;
                    clock.sleep_until(clock.now() + wait).await;
                    wait = (wait * 2).min(std::time::Duration::from_secs(30));
                }
            }
        }
    }

    /// Takes over the session a tab opened over HTTP (it logged in or registered itself): the
    /// tokens replace any session this worker had, every tab is told the new session and the
    /// refresh token to keep, and sync starts again with it.
    fn adopt(self: &Rc<Self>, user: User, tokens: Tokens) -> Result<(), SyncError> {
        // A tab sends its `Hello` before anything else; without one there is no server to use.
        let Some(api) = self.state.borrow().api.clone() else { return Err(SyncError::NoWorker) };
        api.adopt(tokens);
        self.set_auth(AuthState::LoggedIn { user: Some(user) });
        self.stop_engine();
        self.start_engine();
        Ok(())
    }

    /// The engine's settings: the host's, with the app's sync settings if a tab sent some.
    pub fn engine_config(&self) -> EngineConfig {
        let mut config = self.config.engine.clone();
        if let Some(sync) = self.state.borrow().sync {
            config.sync = sync;
        }
        config
    }

    fn start_engine(self: &Rc<Self>) {
        let (api, db) = {
            let state = self.state.borrow();
            match (&state.engine, &state.api, &state.db) {
                (None, Some(api), Some(db)) => (api.clone(), db.clone()),
                _ => return,
            }
        };
        let (engine, handle) = Engine::new(api, db, self.engine_config());
        (self.config.spawn)(Box::pin(engine.run()));
        let mut reports = handle.watch_state();
        self.state.borrow_mut().engine = Some(handle.clone());
        let host = Rc::clone(self);
        (self.config.spawn)(Box::pin(async move {
            loop {
                let now = reports.borrow_and_update().clone();
                // A stopped engine's last words must not overwrite the next one's.
                let current = host.state.borrow().engine.as_ref().is_some_and(|e| e.same(&handle));
                if !current {
                    break;
                }
                host.state.borrow_mut().engine_state = now;
                host.publish(false);
                if reports.changed().await.is_err() {
                    break;
                }
            }
        }));
        let host = Rc::clone(self);
        (self.config.spawn)(Box::pin(async move { host.sync_vaults().await }));
    }

    fn stop_engine(&self) {
        let engine = {
            let mut state = self.state.borrow_mut();
            state.syncing.clear();
            state.engine_state = EngineState::default();
            state.engine.take()
        };
        if let Some(engine) = engine {
            engine.stop();
            self.publish(false);
        }
    }

    fn stop_vault(&self, vault: VaultId) {
        let mut state = self.state.borrow_mut();
        state.syncing.remove(&vault);
        if let Some(engine) = &state.engine {
            engine.remove_vault(vault);
        }
    }

    /// Adds every synced vault whose key some tab holds to the engine.
    async fn sync_vaults(self: &Rc<Self>) {
        let (db, app, engine) = {
            let state = self.state.borrow();
            match (&state.db, &state.engine) {
                (Some(db), Some(engine)) => (db.clone(), state.app.clone(), engine.clone()),
                _ => return,
            }
        };
        let vaults = match db.list_vaults().await {
            Ok(vaults) => vaults,
            Err(error) => return tracing::warn!(%error, "the vaults to sync could not be listed; listed again at the next change"),
        };
        let wanted: Vec<VaultId> = {
            let state = self.state.borrow();
            vaults
                .iter()
                .filter(|v| v.sync_enabled && v.deleted_at.is_none() && !state.syncing.contains(&v.id))
                .map(|v| v.id)
                .collect()
        };
        // Asked all at once: a vault no tab has unlocked waits out the whole key request, and
        // must not hold up the others.
        let keys = futures::future::join_all(wanted.iter().map(|id| (self.config.key_for)(&app, *id))).await;
        for (id, key) in wanted.into_iter().zip(keys) {
            let Some(cipher) = key else { continue };
            match db.open_vault(id, cipher).await {
                Ok(handle) => {
                    if self.state.borrow_mut().syncing.insert(id) {
                        engine.add_vault(handle);
                    }
                }
                Err(error) => tracing::warn!(%error, vault = %id, "an unlocked vault could not be opened for sync"),
            }
        }
    }
}
