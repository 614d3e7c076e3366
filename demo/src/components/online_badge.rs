//! The sync indicator of the sidebar.

use super::now::{use_now_ms, EVERY_FEW_SECONDS_MS};
use crate::sync_words::badge;
use localful_core::VaultId;
use localful_yew::{use_sync_status, use_vaults};
use yew::prelude::*;

/// Properties of [`OnlineBadge`].
#[derive(Properties, PartialEq)]
pub(crate) struct OnlineBadgeProps {
    /// Opens the account and sync panel.
    pub(crate) onclick: Callback<()>,
    /// The open vault, if any: the badge says where its sync stands.
    #[prop_or_default]
    pub(crate) vault: Option<VaultId>,
}

/// Where sync stands, from the one state the sync worker derives (never from `navigator.onLine`
/// or the session on their own): "Local", "Synced", "Sending 3…", "Offline · 3 waiting", "Not
/// syncing", "Log in again", "Sync error". A button: it opens the account panel.
#[function_component]
pub(crate) fn OnlineBadge(props: &OnlineBadgeProps) -> Html {
    let sync = use_sync_status();
    let vaults = use_vaults();
    let open = vaults.vaults().ready().and_then(|list| list.iter().find(|v| Some(v.id) == props.vault).cloned());
    let sync = open.as_ref().map_or_else(|| sync.clone(), |v| sync.for_vault(v));
    let now = use_now_ms(EVERY_FEW_SECONDS_MS);
    let shown = badge(&sync, now);
    let onclick = props.onclick.clone();
    html! {
        <button class={classes!("badge", shown.class)} title={shown.title} data-testid="network"
            data-phase={phase_name(&sync.phase)} onclick={move |_| onclick.emit(())}>
            { shown.text }
        </button>
    }
}

/// The phase's name, for tests and styles (`data-phase`).
fn phase_name(phase: &localful_yew::SyncPhase) -> &'static str {
    use localful_yew::SyncPhase;
    match phase {
        SyncPhase::Starting => "starting",
        SyncPhase::LocalOnly => "local",
        SyncPhase::SignedOut => "signed-out",
        SyncPhase::Expired => "expired",
        SyncPhase::Connecting => "connecting",
        SyncPhase::UpToDate => "up-to-date",
        SyncPhase::Sending => "sending",
        SyncPhase::Receiving { .. } => "receiving",
        SyncPhase::Offline => "offline",
        SyncPhase::Unreachable { .. } => "unreachable",
        _ => "error",
    }
}
