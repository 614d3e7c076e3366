//! The vaults on this device.

use super::{Brand, Footer};
use crate::format;
use localful_core::{VaultMeta, VaultId};
use yew::prelude::*;

/// Properties of [`VaultList`].
#[derive(Properties, PartialEq)]
pub(crate) struct VaultListProps {
    /// The vaults.
    pub(crate) vaults: Vec<VaultMeta>,
    /// Opens a vault (its unlock screen).
    pub(crate) on_open: Callback<VaultId>,
    /// Shows the create form.
    pub(crate) on_create: Callback<()>,
}

/// A card per vault, and a button for a new one.
#[function_component]
pub(crate) fn VaultList(props: &VaultListProps) -> Html {
    let mut vaults = props.vaults.clone();
    vaults.sort_by_key(|v| v.name.to_lowercase());
    let on_create = props.on_create.clone();
    html! {
        <main class="center">
            <section class="card wide" aria-labelledby="vaults-title">
                <Brand />
                <h1 id="vaults-title">{ "Your vaults" }</h1>
                <ul class="vaults">
                    { for vaults.iter().map(|vault| {
                        let (on_open, id) = (props.on_open.clone(), vault.id);
                        html! {
                            <li key={vault.id.to_string()}>
                                <button class="vault" onclick={move |_| on_open.emit(id)}>
                                    <img class="vault-icon" src="/lock.svg" alt="" width="20" height="20" />
                                    <span class="vault-name">{ &vault.name }</span>
                                    <span class="vault-meta">
                                        { if vault.sync_enabled { "Synced" } else { "On this device" } }
                                        { " · created " }{ format::when(vault.created_at) }
                                    </span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                <button class="secondary" onclick={move |_| on_create.emit(())}>{ "+ New vault" }</button>
            </section>
            <Footer />
        </main>
    }
}
