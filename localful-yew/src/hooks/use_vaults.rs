use crate::{context::use_localful, live::Live, reactive::use_reactive, session::OpenVault, state::AsyncState};
use localful_core::{Error, ChangeEvent, VaultMeta};
use yew::prelude::*;

/// The vault list and vault creation (see [`use_vaults`]).
#[derive(Clone, PartialEq, Debug)]
pub struct UseVaultsHandle {
    vaults: Live<Vec<VaultMeta>>,
    created: UseStateHandle<AsyncState<Option<OpenVault>>>,
    ctx: crate::LocalfulContext,
}

impl UseVaultsHandle {
    /// The vaults on this device.
    pub fn vaults(&self) -> &AsyncState<Vec<VaultMeta>> {
        &self.vaults
    }

    /// Re-reads the vault list now (see [`Live::refresh`]).
    pub fn refresh(&self) {
        self.vaults.refresh();
    }

    /// Whether a re-read of the list is in flight while the older list is shown (see
    /// [`Live::is_refreshing`]).
    pub fn is_refreshing(&self) -> bool {
        self.vaults.is_refreshing()
    }

    /// The latest [`create`](Self::create): `Ready(None)` before any, `Loading` while running, the
    /// new (unlocked) vault, or why it failed.
    pub fn created(&self) -> &AsyncState<Option<OpenVault>> {
        &self.created
    }

    /// Creates a vault named `name` protected by `password`, and unlocks it.
    pub fn create(&self, name: String, password: String) {
        self.created.set(AsyncState::Loading);
        let (sessions, created) = (self.ctx.sessions().clone(), self.created.setter());
        wasm_bindgen_futures::spawn_local(async move {
            let result: Result<OpenVault, Error> = sessions.create_vault(&name, &password).await;
            created.set(result.map(Some).into());
        });
    }
}

/// The vaults on this device, re-read when one is created, renamed or deleted (here or in another
/// tab), and an action to create one.
///
/// # Example
/// ```no_run
/// # use localful_yew::{use_vaults, AsyncState};
/// # use yew::prelude::*;
/// #[function_component]
/// fn VaultList() -> Html {
///     let vaults = use_vaults();
///     let create = {
///         let vaults = vaults.clone();
///         move |_| vaults.create("Personal".into(), "a long passphrase".into())
///     };
///     html! {
///         <>
///             <button onclick={create}>{ "New vault" }</button>
///             if let AsyncState::Ready(list) = vaults.vaults() {
///                 <ul>{ for list.iter().map(|v| html! { <li>{ &v.name }</li> }) }</ul>
///             }
///         </>
///     }
/// }
/// ```
#[hook]
pub fn use_vaults() -> UseVaultsHandle {
    let ctx = use_localful();
    let database = ctx.database().clone();
    let vaults = use_reactive(
        (),
        |event, ()| matches!(event, ChangeEvent::Vault { .. }),
        move |()| {
            let database = database.clone();
            Box::pin(async move { database.list_vaults().await })
        },
    );
    let created = use_state(|| AsyncState::Ready(None));
    UseVaultsHandle { vaults, created, ctx }
}
