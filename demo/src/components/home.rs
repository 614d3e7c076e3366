//! Which screen: the vault list, creating a vault, or one vault.

use super::{AccountPanel, CreateVault, VaultGate, VaultList, YourData};
use crate::prefs;
use localful_core::VaultId;
use localful_yew::{use_vaults, AsyncState};
use yew::prelude::*;

/// The app below the provider.
#[function_component]
pub(crate) fn Home() -> Html {
    let vaults = use_vaults();
    let selected = use_state(prefs::last_vault);
    let creating = use_state(|| false);
    let account_open = use_state(|| false);
    let data_open = use_state(|| false);

    // A vault was just created (and unlocked): open it.
    {
        let (selected, creating) = (selected.clone(), creating.clone());
        let created = vaults.created().ready().and_then(|open| open.as_ref().map(|open| open.id()));
        use_effect_with(created, move |created| {
            if let Some(id) = *created {
                prefs::set_last_vault(Some(id));
                selected.set(Some(id));
                creating.set(false);
            }
        });
    }

    let open = {
        let selected = selected.clone();
        Callback::from(move |id: VaultId| {
            prefs::set_last_vault(Some(id));
            selected.set(Some(id));
        })
    };
    let back = {
        let selected = selected.clone();
        Callback::from(move |()| {
            prefs::set_last_vault(None);
            selected.set(None);
        })
    };

    // Over whichever screen: a restore creates the vault, which changes the screen under it.
    let your_data = (*data_open).then(|| {
        let close = data_open.clone();
        html! { <YourData on_close={Callback::from(move |()| close.set(false))} /> }
    });
    // Browser only: it compares with a list kept in localStorage.
    #[cfg(target_arch = "wasm32")]
    let cleared = {
        let open = data_open.clone();
        // A cleared vault's screen has nothing to show: back to the list.
        let on_cleared = {
            let selected = selected.clone();
            Callback::from(move |ids: Vec<VaultId>| {
                if selected.is_some_and(|id| ids.contains(&id)) {
                    prefs::set_last_vault(None);
                    selected.set(None);
                }
            })
        };
        html! { <super::ClearedNotice on_restore={Callback::from(move |()| open.set(true))} {on_cleared} /> }
    };
    #[cfg(not(target_arch = "wasm32"))]
    let cleared = html! {};
    if let Some(id) = *selected {
        return html! { <>{ cleared }<VaultGate key={id.to_string()} {id} on_back={back} />{ for your_data }</> };
    }
    let screen = match vaults.vaults() {
        AsyncState::Loading => html! { <main class="center"><p class="muted">{ "Opening…" }</p></main> },
        AsyncState::Failed(err) => html! {
            <main class="center"><section class="card">
                <h1>{ "Storage unavailable" }</h1>
                <p class="error" role="alert">{ format!("This browser's storage could not be opened: {err}") }</p>
            </section></main>
        },
        AsyncState::Ready(list) if list.is_empty() => {
            let (open, close) = (account_open.clone(), account_open.clone());
            let restore = data_open.clone();
            html! {
                <>
                    <CreateVault vaults={vaults.clone()} first=true on_account={Callback::from(move |()| open.set(true))}
                        on_restore={Callback::from(move |()| restore.set(true))} />
                    if *account_open { <AccountPanel on_close={Callback::from(move |()| close.set(false))} /> }
                </>
            }
        }
        AsyncState::Ready(_) if *creating => {
            let creating = creating.clone();
            html! { <CreateVault vaults={vaults.clone()} on_cancel={Callback::from(move |()| creating.set(false))} /> }
        }
        AsyncState::Ready(list) => {
            let creating = creating.clone();
            html! { <VaultList vaults={list.clone()} on_open={open} on_create={Callback::from(move |()| creating.set(true))} /> }
        }
    };
    html! { <>{ cleared }{ screen }{ for your_data }</> }
}
