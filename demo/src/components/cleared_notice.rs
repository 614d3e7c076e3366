//! The notice shown when the browser cleared the notes stored on this device (browser only: it
//! compares with a list kept in `localStorage`).

use super::your_data::cleared_words;
use crate::settings::Settings;
use localful_core::VaultId;
use localful_yew::{ClearedVaults, use_cleared_vaults};
use yew::prelude::*;

/// Properties of [`ClearedNotice`].
#[derive(Properties, PartialEq)]
pub(crate) struct ClearedNoticeProps {
    /// Opens "Your data" (to restore a backup).
    pub(crate) on_restore: Callback<()>,
    /// Told the ids of the cleared vaults not back (yet), so the app leaves their screens.
    pub(crate) on_cleared: Callback<Vec<VaultId>>,
}

/// A banner over the app while there is something to say.
#[function_component]
pub(crate) fn ClearedNotice(props: &ClearedNoticeProps) -> Html {
    let cleared = use_cleared_vaults();
    let server = use_context::<Settings>().is_some_and(|s| s.server_url.is_some());
    {
        let on_cleared = props.on_cleared.clone();
        use_effect_with(cleared.state().clone(), move |state| {
            if let ClearedVaults::Cleared(vaults) = state {
                on_cleared.emit(
                    vaults
                        .iter()
                        .filter(|v| !v.back)
                        .map(|v| v.vault.id)
                        .collect(),
                );
            }
        });
    }
    let ClearedVaults::Cleared(vaults) = cleared.state() else {
        return html! {};
    };
    let dismiss = {
        let cleared = cleared.clone();
        move |_| cleared.dismiss()
    };
    let on_restore = props.on_restore.clone();
    let any_local = vaults.iter().any(|v| !v.back && !v.vault.synced);
    html! {
        <div class="cleared-notice" role="alert" data-testid="cleared-notice">
            <p><strong>{ "This browser cleared the notes it kept for this app." }</strong>
                { " Browsers do this when space runs low, or when a site has not been used for a while." }</p>
            <ul>{ for vaults.iter().map(|v| html! { <li data-back={v.back.to_string()}>{ cleared_words(&v.vault.name, v.vault.synced, v.back, server) }</li> }) }</ul>
            <p>
                if any_local {
                    <button class="secondary" onclick={move |_| on_restore.emit(())}>{ "Restore from backup" }</button>
                }
                <button class="ghost" onclick={dismiss}>{ "OK" }</button>
            </p>
        </div>
    }
}
