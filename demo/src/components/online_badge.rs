//! The network and sync indicator of the sidebar.

use crate::settings::Settings;
use gloo::events::EventListener;
use localful_core::sync::SyncStatus;
use localful_core::wire::ErrorKind;
use super::account_panel::explain;
use localful_yew::{use_auth, use_sync_status};
use yew::prelude::*;

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Properties of [`OnlineBadge`].
#[derive(Properties, PartialEq)]
pub(crate) struct OnlineBadgeProps {
    /// Opens the account and sync panel.
    pub(crate) onclick: Callback<()>,
}

/// "Offline" without network; otherwise "Local" (no server), "Log in again" (the server ended the
/// session), or the sync status: connecting, syncing n of m, synced, or an error. A button: it opens the account panel.
#[function_component]
pub(crate) fn OnlineBadge(props: &OnlineBadgeProps) -> Html {
    let is_online = use_state(online);
    let status = use_sync_status();
    let auth = use_auth();
    let server = use_context::<Settings>().and_then(|s| s.server_url);
    {
        let is_online = is_online.clone();
        use_effect_with((), move |()| {
            let listeners = web_sys::window().map(|window| {
                let (a, b) = (is_online.clone(), is_online.clone());
                (
                    EventListener::new(&window, "online", move |_| a.set(online())),
                    EventListener::new(&window, "offline", move |_| b.set(online())),
                )
            });
            move || drop(listeners)
        });
    }
    let (class, text, title) = if !*is_online {
        ("offline", "Offline".to_string(), "No network: everything keeps working on this device".to_string())
    } else if server.is_none() {
        ("local", "Local".to_string(), "Stored encrypted in this browser only. Click to set up sync.".to_string())
    } else if auth.is_expired() {
        ("error", "Log in again".to_string(), explain(ErrorKind::AuthTokenInvalid.identifier()))
    } else {
        match &status {
            SyncStatus::Offline => ("idle", "Not syncing".into(), "Log in to sync".into()),
            SyncStatus::Connecting => ("busy", "Connecting…".into(), "Connecting to the sync server".into()),
            SyncStatus::Syncing { done, total } if *total > 0 => ("busy", format!("Syncing {done}/{total}"), "Syncing".into()),
            SyncStatus::Syncing { .. } => ("busy", "Syncing…".into(), "Syncing".into()),
            SyncStatus::Idle => ("ok", "Synced".into(), "Up to date with the server".into()),
            SyncStatus::Error { reason } => ("error", "Sync error".into(), reason.clone()),
            _ => ("idle", "Sync".into(), String::new()),
        }
    };
    let onclick = props.onclick.clone();
    html! {
        <button class={classes!("badge", class)} {title} data-testid="network" onclick={move |_| onclick.emit(())}>
            { text }
        </button>
    }
}
