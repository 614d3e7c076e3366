//! The configuration a [`crate::LocalfulProvider`] is given.

use crate::clock::{Clock, SystemClock};
use localful_core::sync::SyncConfig;
use localful_core::{Collection, Schema};
use std::rc::Rc;

/// Where the provider keeps the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StorageKind {
    /// IndexedDB (the browser default).
    #[default]
    IndexedDb,
    /// Memory only, gone on reload (tests, previews).
    Memory,
}

/// Configuration of a Localful app: its name, collections, storage and tuning.
///
/// ```
/// # use localful_core::Collection;
/// # #[derive(serde::Serialize, serde::Deserialize)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// use localful_yew::LocalfulConfig;
/// let config = LocalfulConfig::new("notes-app").with_collection::<Note>().with_device_name("laptop");
/// assert_eq!(config.app_name, "notes-app");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LocalfulConfig {
    /// The app's name; it namespaces the IndexedDB databases and the `BroadcastChannel`.
    pub app_name: String,
    /// Base URL of the sync server, if any (`None` = local only).
    pub server_url: Option<String>,
    /// The name versions written here carry (shown in history).
    pub device_name: String,
    /// Where data is kept.
    pub storage: StorageKind,
    /// A reactive hook re-runs at once for a change event when it has not re-run for this long;
    /// an event that comes sooner waits, with those that follow, until none has come for this
    /// long (at most eight times this long), and they re-run it once.
    pub debounce_ms: u32,
    /// The app's collections.
    pub schema: Rc<Schema>,
    /// Sync settings handed to the sync worker (push debounce, rate limit, batch sizes, retries,
    /// poll and repair intervals); `None` keeps the worker's defaults. One worker serves every
    /// tab of the origin: the settings of the first tab to reach it apply.
    pub sync: Option<SyncConfig>,
    /// The sync worker's script, relative to the page; `None` is the loader trunk writes for a
    /// worker binary named `{app_name}-worker` (see [`LocalfulConfig::worker_script`]).
    pub worker_url: Option<String>,
    /// The hooks' clock; `None` is the [`SystemClock`] (see [`LocalfulConfig::with_clock`]).
    clock: Option<Rc<dyn Clock>>,
}

/// Configurations are compared by value — app name, server, device name, storage, debounce, sync
/// settings, worker script and the collections (each one's name, Rust type, schema version and
/// exposed fields) — except the clock, compared by identity (the same `Rc`, or both the system
/// clock). So a configuration built inside a component that re-renders equals the one before it,
/// and the [`LocalfulProvider`](crate::LocalfulProvider) keeps its database open.
///
/// ```
/// # use localful_core::Collection;
/// # #[derive(serde::Serialize, serde::Deserialize)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// use localful_yew::LocalfulConfig;
/// let build = || LocalfulConfig::new("notes-app").with_collection::<Note>().with_debounce_ms(20);
/// assert_eq!(build(), build());
/// assert_ne!(build(), build().with_debounce_ms(30));
/// assert_ne!(build(), LocalfulConfig::new("notes-app"));
/// ```
impl PartialEq for LocalfulConfig {
    fn eq(&self, other: &Self) -> bool {
        self.app_name == other.app_name
            && self.server_url == other.server_url
            && self.device_name == other.device_name
            && self.storage == other.storage
            && self.debounce_ms == other.debounce_ms
            && self.sync == other.sync
            && self.worker_url == other.worker_url
            && (Rc::ptr_eq(&self.schema, &other.schema) || self.schema == other.schema)
            && same_clock(self.clock.as_ref(), other.clock.as_ref())
    }
}

impl LocalfulConfig {
    /// A local-only configuration for `app_name`, stored in IndexedDB, with no collections yet.
    pub fn new(app_name: impl Into<String>) -> Self {
        Self {
            app_name: app_name.into(),
            server_url: None,
            device_name: "this device".into(),
            storage: StorageKind::default(),
            debounce_ms: 16,
            schema: Rc::new(Schema::new()),
            sync: None,
            worker_url: None,
            clock: None,
        }
    }

    /// Registers collection `C`.
    pub fn with_collection<C: Collection>(mut self) -> Self {
        let schema = (*self.schema).clone().with::<C>();
        self.schema = Rc::new(schema);
        self
    }

    /// Syncs with the server at `url`.
    pub fn with_server(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }

    /// Starts the sync worker from the worker binary `bin` of the app (built by trunk with
    /// `data-loader-shim`, which writes `./{bin}_loader.js`), instead of `{app_name}-worker`.
    ///
    /// ```
    /// use localful_yew::LocalfulConfig;
    /// let config = LocalfulConfig::new("notes-app").with_server("https://sync.example");
    /// assert_eq!(config.worker_script(), "./notes-app-worker_loader.js");
    /// let config = config.with_worker("sync-worker");
    /// assert_eq!(config.worker_script(), "./sync-worker_loader.js");
    /// ```
    pub fn with_worker(mut self, bin: &str) -> Self {
        self.worker_url = Some(format!("./{bin}_loader.js"));
        self
    }

    /// Starts the sync worker from the module script at `url` (relative to the page), for a
    /// worker served some other way than trunk's loader shim.
    pub fn with_worker_url(mut self, url: impl Into<String>) -> Self {
        self.worker_url = Some(url.into());
        self
    }

    /// The module script the provider starts the sync worker from: the one given to
    /// [`with_worker`](Self::with_worker) or [`with_worker_url`](Self::with_worker_url), or
    /// `./{app_name}-worker_loader.js` — the loader trunk writes for a worker binary named
    /// `{app_name}-worker` linked with `data-type="worker" data-bindgen-target="web"
    /// data-loader-shim`.
    pub fn worker_script(&self) -> String {
        self.worker_url.clone().unwrap_or_else(|| format!("./{}-worker_loader.js", self.app_name))
    }

    /// Names this device in the versions it writes.
    pub fn with_device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = name.into();
        self
    }

    /// Chooses the storage.
    pub fn with_storage(mut self, storage: StorageKind) -> Self {
        self.storage = storage;
        self
    }

    /// Sets the debounce of reactive hooks, in milliseconds.
    pub fn with_debounce_ms(mut self, ms: u32) -> Self {
        self.debounce_ms = ms;
        self
    }

    /// Sets every sync setting (see [`SyncConfig`]).
    pub fn with_sync(mut self, sync: SyncConfig) -> Self {
        self.sync = Some(sync);
        self
    }

    /// Sets how long the sync worker waits after the last local change before pushing, in
    /// milliseconds (the other sync settings stay as they are, or take their defaults).
    ///
    /// ```
    /// use localful_yew::LocalfulConfig;
    /// let config = LocalfulConfig::new("notes-app").with_server("https://sync.example").with_sync_debounce_ms(1_000);
    /// assert_eq!(config.sync.map(|s| s.debounce_ms), Some(1_000));
    /// ```
    pub fn with_sync_debounce_ms(mut self, ms: u64) -> Self {
        let mut sync = self.sync.unwrap_or_default();
        sync.debounce_ms = ms;
        self.sync = Some(sync);
        self
    }

    /// Runs the hooks' timers (the debounce of reactive hooks, how long a tab waits for another
    /// to hand over a vault key) on `clock` instead of the [`SystemClock`]: tests pass a
    /// [`ManualClock`](crate::ManualClock) and move time themselves. Configurations are equal only
    /// if they share the same `Rc` (or both use the system clock).
    ///
    /// ```
    /// use localful_yew::{LocalfulConfig, ManualClock};
    /// use std::rc::Rc;
    /// let clock = ManualClock::new();
    /// let config = LocalfulConfig::new("notes-app").with_clock(Rc::new(clock.clone()));
    /// assert_eq!(config, config.clone());
    /// assert_ne!(config, LocalfulConfig::new("notes-app"));
    /// ```
    pub fn with_clock(mut self, clock: Rc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The clock the hooks run on: the one given to [`with_clock`](Self::with_clock), or the
    /// [`SystemClock`].
    pub fn clock(&self) -> Rc<dyn Clock> {
        self.clock.clone().unwrap_or_else(|| Rc::new(SystemClock))
    }

    /// The name of the `BroadcastChannel` change events travel on.
    pub fn channel_name(&self) -> String {
        localful_core::wire::channels::events(&self.app_name)
    }
}

/// Whether two configurations run on the same clock: both on the system clock, or on one `Rc`.
fn same_clock(a: Option<&Rc<dyn Clock>>, b: Option<&Rc<dyn Clock>>) -> bool {
    match (a, b) {
        (None, None) => true,
        // Compare addresses only: vtable pointers of one type may differ between codegen units.
        (Some(a), Some(b)) => std::ptr::addr_eq(Rc::as_ptr(a), Rc::as_ptr(b)),
        _ => false,
    }
}
