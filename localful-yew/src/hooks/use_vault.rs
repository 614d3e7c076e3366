use crate::mutation_future::MutationFuture;
use crate::session::{ChangePasswordError, OpenVault};
use crate::{context::use_localful, state::AsyncState};
use futures::channel::oneshot;
use localful_core::{Error, ChangeEvent, VaultAction, VaultId};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// A vault's state in this context.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum VaultState {
    /// Reading the vault, or asking other tabs for its key.
    Loading,
    /// Locked: ask for the password. Holds the vault's metadata (name, ...).
    Locked(localful_core::VaultMeta),
    /// Checking a password.
    Unlocking(localful_core::VaultMeta),
    /// Unlocked: pass the handle to data hooks.
    Unlocked(OpenVault),
    /// The vault could not be read (e.g. it does not exist).
    Failed(Error),
}

/// One vault's lock state and actions (see [`use_vault`]).
#[derive(Clone, PartialEq, Debug)]
pub struct UseVaultHandle {
    id: VaultId,
    state: UseStateHandle<VaultState>,
    unlock_error: UseStateHandle<Option<Error>>,
    password_change: UseStateHandle<Option<AsyncState<(), ChangePasswordError>>>,
    ctx: crate::LocalfulContext,
}

impl UseVaultHandle {
    /// The vault's state.
    pub fn state(&self) -> &VaultState {
        &self.state
    }

    /// The unlocked vault, if it is unlocked.
    pub fn open(&self) -> Option<&OpenVault> {
        match &*self.state {
            VaultState::Unlocked(open) => Some(open),
            _ => None,
        }
    }

    /// Why the latest unlock failed (e.g. a wrong password), until the next attempt.
    pub fn unlock_error(&self) -> Option<&Error> {
        self.unlock_error.as_ref()
    }

    /// Unlocks the vault with `password`; on failure the state stays `Locked` and
    /// [`unlock_error`](Self::unlock_error) says why.
    pub fn unlock(&self, password: String) {
        self.unlock_keeping(password, false);
    }

    /// Unlocks the vault with `password` and keeps it unlocked on this device: reloads open it
    /// without the password until it is [locked](Self::lock). Offer it as an opt-in ("Stay
    /// unlocked on this device") and say what it means: the key is kept wrapped by a key no
    /// script can export, but anyone using this browser profile can open the vault (see
    /// [`VaultSessions::remember`](crate::VaultSessions::remember)).
    pub fn unlock_and_remember(&self, password: String) {
        self.unlock_keeping(password, true);
    }

    fn unlock_keeping(&self, password: String, remember: bool) {
        let VaultState::Locked(meta) = &*self.state else { return };
        self.state.set(VaultState::Unlocking(meta.clone()));
        self.unlock_error.set(None);
        let (sessions, id, meta) = (self.ctx.sessions().clone(), self.id, meta.clone());
        let (state, unlock_error) = (self.state.setter(), self.unlock_error.setter());
        wasm_bindgen_futures::spawn_local(async move {
            let unlocked = match remember {
                true => sessions.unlock_and_remember(id, &password).await,
                false => sessions.unlock(id, &password).await,
            };
            match unlocked {
                Ok(open) => state.set(VaultState::Unlocked(open)),
                Err(err) => {
                    unlock_error.set(Some(err));
                    state.set(VaultState::Locked(meta));
                }
            }
        });
    }

    /// Changes the vault's password from `current` to `new` (at least
    /// [`MIN_PASSWORD_CHARS`](crate::MIN_PASSWORD_CHARS) characters) and resolves once it is
    /// saved, or with why not: [`ChangePasswordError::WrongPassword`], `TooShort`, `ChangedElsewhere`
    /// or `Store` — in plain words through `Display`. On an error nothing changed.
    ///
    /// The data key stays the same (it is re-wrapped, nothing is re-encrypted): this tab, other
    /// tabs and the sync worker stay unlocked, and a vault kept unlocked on this device stays kept;
    /// from now on only `new` unlocks the vault, here and — once synced — on other devices.
    /// [`password_change`](Self::password_change) shows the change while it runs and how it ended.
    /// Like a mutation, it runs whether the future is awaited or not.
    pub fn change_password(&self, current: String, new: String) -> MutationFuture<(), ChangePasswordError> {
        let (sender, receiver) = oneshot::channel();
        self.password_change.set(Some(AsyncState::Loading));
        let (sessions, id, shown) = (self.ctx.sessions().clone(), self.id, self.password_change.setter());
        wasm_bindgen_futures::spawn_local(async move {
            let result = sessions.change_password(id, &current, &new).await;
            shown.set(Some(result.clone().into()));
            // The caller may have dropped the future: the change is made all the same.
            let _ = sender.send(result);
        });
        MutationFuture::new(receiver)
    }

    /// The latest [`change_password`](Self::change_password): `None` before any, `Loading` while
    /// it runs, then `Ready(())` or `Failed` with why.
    pub fn password_change(&self) -> Option<&AsyncState<(), ChangePasswordError>> {
        self.password_change.as_ref()
    }

    /// A callback that unlocks with the password it is given.
    pub fn unlock_callback(&self) -> Callback<String> {
        let this = self.clone();
        Callback::from(move |password| this.unlock(password))
    }

    /// Locks the vault here and in every other tab and the worker, and forgets it on this device
    /// if it was kept unlocked.
    pub fn lock(&self) {
        self.ctx.sessions().lock(self.id);
    }

    /// Turns syncing of this vault on or off (its `sync_enabled`), and tells the sync worker. The
    /// worker syncs a vault once it is enabled, a tab has unlocked it and the user is logged in.
    pub fn set_sync(&self, enabled: bool) {
        let (ctx, id) = (self.ctx.clone(), self.id);
        wasm_bindgen_futures::spawn_local(async move {
            if ctx.database().update_vault(id, |v| v.sync_enabled = enabled).await.is_ok() {
                ctx.worker().send(&localful_worker::tab_protocol::TabMessage::Refresh);
            }
        });
    }
}

/// One vault's lock state, with unlock, lock and password change. On mount, a vault unlocked in another tab (or the
/// worker) is unlocked here without asking for the password.
///
/// # Example
/// ```no_run
/// # use localful_core::VaultId;
/// # use localful_yew::{use_vault, VaultState};
/// # use yew::prelude::*;
/// #[derive(Properties, PartialEq)]
/// struct Props { id: VaultId }
///
/// #[function_component]
/// fn Gate(props: &Props) -> Html {
///     let vault = use_vault(props.id);
///     match vault.state() {
///         VaultState::Unlocked(_) => {
///             let lock = vault.clone();
///             html! { <button onclick={move |_| lock.lock()}>{ "Lock" }</button> }
///         }
///         VaultState::Locked(meta) => {
///             let unlock = vault.unlock_callback();
///             html! { <button onclick={move |_| unlock.emit("hunter2".into())}>{ format!("Unlock {}", meta.name) }</button> }
///         }
///         _ => html! {},
///     }
/// }
/// ```
#[hook]
pub fn use_vault(id: VaultId) -> UseVaultHandle {
    let ctx = use_localful();
    let state = use_state(|| VaultState::Loading);
    let unlock_error = use_state(|| None);
    let password_change = use_state(|| None);
    {
        let (ctx, setter) = (ctx.clone(), state.setter());
        use_effect_with(id, move |id: &VaultId| {
            let (id, alive) = (*id, Rc::new(Cell::new(true)));
            // Refreshes overlap (the first one waits for other tabs to offer the key): only the
            // newest may set the state, or a slow "locked" would overwrite a later "unlocked".
            let latest = Rc::new(Cell::new(0_u64));
            let refresh = {
                let (ctx, alive) = (ctx.clone(), alive.clone());
                Rc::new(move |ask_others: bool| {
                    let (ctx, alive, latest, setter) = (ctx.clone(), alive.clone(), latest.clone(), setter.clone());
                    let run = latest.get() + 1;
                    latest.set(run);
                    wasm_bindgen_futures::spawn_local(async move {
                        let next = resolve(&ctx, id, ask_others).await;
                        if alive.get() && latest.get() == run {
                            setter.set(next);
                        }
                    });
                })
            };
            refresh(true);
            let subscription = ctx.database().events().subscribe(move |event| {
                if let ChangeEvent::Vault { vault, action } = event
                    && *vault == id
                    && !matches!(action, VaultAction::Opened | VaultAction::Closed)
                {
                    refresh(false);
                }
            });
            move || {
                alive.set(false);
                drop(subscription);
            }
        });
    }
    UseVaultHandle { id, state, unlock_error, password_change, ctx }
}

async fn resolve(ctx: &crate::LocalfulContext, id: VaultId, ask_others: bool) -> VaultState {
    if let Some(open) = ctx.sessions().get(id) {
        return VaultState::Unlocked(open);
    }
    let meta = match ctx.database().vault(id).await {
        Ok(meta) => meta,
        Err(err) => return VaultState::Failed(err),
    };
    if ask_others && let Ok(Some(open)) = ctx.sessions().resume(id).await {
        return VaultState::Unlocked(open);
    }
    // Unlocked here while no other tab answered (a vault just created is opened meanwhile).
    match ctx.sessions().get(id) {
        Some(open) => VaultState::Unlocked(open),
        None => VaultState::Locked(meta),
    }
}
