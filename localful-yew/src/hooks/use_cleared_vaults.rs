use crate::context::use_localful;
use localful_core::storage::{KnownVault, KnownVaults};
use localful_core::{Database, ChangeEvent};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// A vault the browser cleared from this device (see [`use_cleared_vaults`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ClearedVault {
    /// The vault as this device remembered it (name, whether it was synced).
    pub vault: KnownVault,
    /// Whether it is on this device again (the sync worker downloaded it from the server, or a
    /// backup restored it).
    pub back: bool,
}

/// What [`use_cleared_vaults`] found at start.
#[derive(Clone, Debug, PartialEq, Default)]
#[non_exhaustive]
pub enum ClearedVaults {
    /// Still comparing.
    #[default]
    Checking,
    /// Every vault this device held is still here.
    Nothing,
    /// The browser cleared these vaults' local database.
    Cleared(Vec<ClearedVault>),
}

/// The vaults the browser cleared, and dismissing the notice (see [`use_cleared_vaults`]).
#[derive(Clone, Debug, PartialEq)]
pub struct UseClearedVaultsHandle {
    state: UseStateHandle<ClearedVaults>,
    remembered: Remembered,
}

impl UseClearedVaultsHandle {
    /// What was found.
    pub fn state(&self) -> &ClearedVaults {
        &self.state
    }

    /// The user has read the notice: it goes away, and the device's vaults as they are now are
    /// what is remembered from here on.
    pub fn dismiss(&self) {
        self.state.set(ClearedVaults::Nothing);
        self.remembered.dismiss();
    }
}

/// The remembered list in `localStorage` and the vaults reported cleared (until dismissed).
#[derive(Clone, Debug)]
struct Remembered {
    key: String,
    database: Database,
    cleared: Rc<RefCell<Option<Vec<KnownVault>>>>,
}

impl PartialEq for Remembered {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cleared, &other.cleared)
    }
}

impl Remembered {
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    fn read(&self) -> Option<KnownVaults> {
        KnownVaults::parse(&Self::storage()?.get_item(&self.key).ok()??)
    }

    fn write(&self, known: &KnownVaults) {
        // Private browsing may refuse storage: then eviction is not noticed, nothing else changes.
        if let Some(storage) = Self::storage() {
            let _ = storage.set_item(&self.key, &known.to_json());
        }
    }

    /// The first check: which remembered vaults the registry lacks (kept until dismissed), then
    /// the state from a second read of the registry (a vault may have come back in between).
    async fn start(&self) -> Option<ClearedVaults> {
        let registry = self.database.store().list_vaults().await.ok()?;
        let missing = self
            .read()
            .map(|known| known.missing(&registry))
            .unwrap_or_default();
        *self.cleared.borrow_mut() = Some(missing);
        self.check().await
    }

    /// The state from the registry as it is now: the cleared vaults (each back or not), or
    /// `Nothing` after remembering the registry. `None` before [`start`](Self::start) finished
    /// (it reads the registry again itself) or when the registry cannot be read.
    async fn check(&self) -> Option<ClearedVaults> {
        if self.cleared.borrow().is_none() {
            return None;
        }
        let registry = self.database.store().list_vaults().await.ok()?;
        let cleared = self.cleared.borrow().clone().unwrap_or_default();
        if cleared.is_empty() {
            self.write(&KnownVaults::of(&registry));
            return Some(ClearedVaults::Nothing);
        }
        let back = |id| {
            registry
                .iter()
                .any(|v| v.id == id && v.deleted_at.is_none())
        };
        Some(ClearedVaults::Cleared(
            cleared
                .into_iter()
                .map(|vault| ClearedVault {
                    back: back(vault.id),
                    vault,
                })
                .collect(),
        ))
    }

    /// Forgets the cleared vaults at once (a reload right after must not report them again),
    /// then remembers the registry as it is.
    fn dismiss(&self) {
        let cleared = self
            .cleared
            .borrow_mut()
            .replace(Vec::new())
            .unwrap_or_default();
        if let Some(mut known) = self.read() {
            known
                .vaults
                .retain(|k| !cleared.iter().any(|c| c.id == k.id));
            self.write(&known);
        }
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(registry) = this.database.store().list_vaults().await {
                this.write(&KnownVaults::of(&registry));
            }
        });
    }
}

/// Notices at start that the browser cleared this app's local database (under storage pressure
/// Chromium evicts a non-persisted origin's IndexedDB, but not its `localStorage`): it keeps the
/// list of the device's vaults in `localStorage` ([`KnownVaults`]) and compares it with the
/// registry. A cleared vault that was synced comes back by itself once the sync worker is
/// connected and logged in (it downloads the account's vaults); `back` then turns true. One that
/// was only on this device is gone from it: say so, and offer a backup restore.
///
/// Mount it once, near the root, for as long as the app runs: it also keeps the list current.
///
/// # Example
/// ```no_run
/// # use localful_yew::{use_cleared_vaults, ClearedVaults};
/// # use yew::prelude::*;
/// #[function_component]
/// fn ClearedNotice() -> Html {
///     let cleared = use_cleared_vaults();
///     let ClearedVaults::Cleared(vaults) = cleared.state() else { return html! {} };
///     let dismiss = { let cleared = cleared.clone(); move |_| cleared.dismiss() };
///     html! {
///         <div role="alert">
///             { for vaults.iter().map(|v| html! { <p>{ match (v.back, v.vault.synced) {
///                 (true, _) => format!("“{}” was downloaded again.", v.vault.name),
///                 (false, true) => format!("Downloading “{}” again from the server…", v.vault.name),
///                 (false, false) => format!("“{}” was only on this device: restore a backup.", v.vault.name),
///             } }</p> }) }
///             <button onclick={dismiss}>{ "OK" }</button>
///         </div>
///     }
/// }
/// ```
///
/// # Caution
/// Browser only. Safari's rule (script-written storage of a site not used for 7 days is cleared)
/// clears `localStorage` too: nothing is remembered then, and nothing reported.
#[hook]
pub fn use_cleared_vaults() -> UseClearedVaultsHandle {
    let ctx = use_localful();
    let state = use_state(ClearedVaults::default);
    let cleared = use_mut_ref(|| None);
    let remembered = Remembered {
        key: KnownVaults::storage_key(&ctx.config().app_name),
        database: ctx.database().clone(),
        cleared,
    };
    {
        let (remembered, state, events) = (
            remembered.clone(),
            state.setter(),
            ctx.database().events().clone(),
        );
        use_effect_with((), move |()| {
            // Only the latest read sets the state: an older one finishing later is dropped.
            let latest = Rc::new(Cell::new(0u64));
            let run = move |first: bool| {
                // Before the first check has read the remembered list, an event has nothing to
                // update: that check reads the registry again at its end.
                if !first && remembered.cleared.borrow().is_none() {
                    return;
                }
                let (remembered, state, latest) =
                    (remembered.clone(), state.clone(), latest.clone());
                let id = latest.get() + 1;
                latest.set(id);
                wasm_bindgen_futures::spawn_local(async move {
                    let found = if first {
                        remembered.start().await
                    } else {
                        remembered.check().await
                    };
                    if let Some(found) = found.filter(|_| latest.get() == id) {
                        state.set(found);
                    }
                });
            };
            run(true);
            let subscription = events.subscribe(move |event| {
                if matches!(event, ChangeEvent::Vault { .. }) {
                    run(false);
                }
            });
            move || drop(subscription)
        });
    }
    UseClearedVaultsHandle { state, remembered }
}
