//! One vault: its unlock prompt while locked, its notes once unlocked.

use super::{UnlockForm, Workspace};
use crate::drafts::Drafts;
use localful_core::VaultId;
use localful_yew::{use_vault, use_vaults, VaultState};
use yew::prelude::*;

/// Properties of [`VaultGate`].
#[derive(Properties, PartialEq)]
pub(crate) struct VaultGateProps {
    /// The vault.
    pub(crate) id: VaultId,
    /// Back to the vault list.
    pub(crate) on_back: Callback<()>,
}

/// Shows the unlock form or the workspace, following the vault's lock state (also when another
/// tab locks or unlocks it).
#[function_component]
pub(crate) fn VaultGate(props: &VaultGateProps) -> Html {
    let vault = use_vault(props.id);
    let drafts = use_context::<Drafts>().unwrap_or_default();
    let vaults = use_vaults();
    let id = props.id;
    let name = vaults
        .vaults()
        .ready()
        .and_then(|list| list.iter().find(|v| v.id == id).map(|v| v.name.clone()))
        .unwrap_or_default();
    match vault.state() {
        VaultState::Locked(meta) | VaultState::Unlocking(meta) => html! {
            <UnlockForm name={meta.name.clone()}
                busy={matches!(vault.state(), VaultState::Unlocking(_))}
                error={vault.unlock_error().cloned()}
                on_unlock={
                    let vault = vault.clone();
                    Callback::from(move |(password, remember): (String, bool)| match remember {
                        true => vault.unlock_and_remember(password),
                        false => vault.unlock(password),
                    })
                }
                on_back={props.on_back.clone()} />
        },
        VaultState::Unlocked(open) => {
            let on_lock = {
                let vault = vault.clone();
                Callback::from(move |()| {
                    let (vault, drafts) = (vault.clone(), drafts.clone());
                    // Write what was typed before the key is wiped.
                    wasm_bindgen_futures::spawn_local(async move {
                        drafts.flush().await;
                        vault.lock();
                    });
                })
            };
            html! { <Workspace vault={open.clone()} {name} {on_lock} on_vaults={props.on_back.clone()} /> }
        }
        VaultState::Failed(err) => {
            let on_back = props.on_back.clone();
            html! {
                <main class="center"><section class="card">
                    <h1>{ "Vault unavailable" }</h1>
                    <p class="error" role="alert">{ format!("This vault could not be opened: {err}") }</p>
                    <button class="secondary" onclick={move |_| on_back.emit(())}>{ "All vaults" }</button>
                </section></main>
            }
        }
        _ => html! { <main class="center"><p class="muted">{ "Opening vault…" }</p></main> },
    }
}
