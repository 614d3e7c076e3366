use crate::context::use_localful;
use crate::worker::WorkerConnection;
use localful_core::VaultMeta;
use localful_worker::tab_protocol::{SyncState, TabMessage};
use std::ops::Deref;
use yew::prelude::*;

/// Where sync stands (see [`use_sync_status`]): dereferences to the [`SyncState`], and asks the
/// worker to retry at once.
#[derive(Clone, PartialEq, Debug)]
pub struct UseSyncStatusHandle {
    state: SyncState,
    worker: WorkerConnection,
}

impl UseSyncStatusHandle {
    /// The state: its [`phase`](SyncState::phase), the changes [`pending`](SyncState::pending)
    /// (made here, not yet acknowledged by the server) and when everything was
    /// [`last_synced`](SyncState::last_synced).
    pub fn state(&self) -> &SyncState {
        &self.state
    }

    /// The state as it concerns `vault` ([`SyncState::for_vault`]): for a vault with sync on that
    /// the worker has not taken up yet (its sync switched on a moment ago), `Connecting` rather
    /// than a status of the other vaults. Show this beside one vault.
    pub fn for_vault(&self, vault: &VaultMeta) -> UseSyncStatusHandle {
        UseSyncStatusHandle { state: self.state.for_vault(vault), worker: self.worker.clone() }
    }

    /// Tries to reach the server now instead of at the next planned attempt (the phase says
    /// whether that means something: [`SyncPhase::can_retry`](crate::SyncPhase::can_retry)).
    /// After the server refused the connection (its settings fixed since), opens it again.
    pub fn retry_now(&self) {
        self.worker.send(&TabMessage::RetryNow);
    }
}

impl Deref for UseSyncStatusHandle {
    type Target = SyncState;

    fn deref(&self) -> &SyncState {
        &self.state
    }
}

/// Where sync stands, as ONE value the sync worker derives from its real state — the session, the
/// socket's connection, the synced vaults and their outboxes — and every tab receives: the
/// [`SyncPhase`](crate::SyncPhase) (up to date, sending, receiving `done` of `total`, offline,
/// server unreachable with the time to the next attempt, connecting, signed out, session expired,
/// an error with a typed [`SyncError`](crate::SyncError)), the number of changes not yet on the
/// server, and when everything was last in sync. Re-renders the component whenever it changes.
///
/// Show it as it is: combining it with `navigator.onLine` or the session yourself brings back the
/// contradictions it exists to avoid ("offline" while the worker's socket syncs; "up to date"
/// beside changes waiting). Without a [`server_url`](crate::LocalfulConfig) it is `LocalOnly`.
/// Beside one vault, show [`for_vault`](UseSyncStatusHandle::for_vault): the state from just
/// before that vault's sync was switched on speaks of the other vaults only.
///
/// # Example
/// ```no_run
/// # use localful_yew::{explain, use_sync_status, SyncPhase};
/// # use yew::prelude::*;
/// #[function_component]
/// fn SyncBadge() -> Html {
///     let sync = use_sync_status();
///     let text = match &sync.phase {
///         SyncPhase::UpToDate => "up to date".to_string(),
///         SyncPhase::Sending => format!("sending {} changes", sync.pending),
///         SyncPhase::Receiving { done, total } => format!("receiving {done} of {total}"),
///         SyncPhase::Offline => format!("offline, {} changes waiting", sync.pending),
///         SyncPhase::Unreachable { .. } => "server unreachable".to_string(),
///         SyncPhase::Error { error } => explain(error),
///         SyncPhase::SignedOut | SyncPhase::Expired => "log in to sync".to_string(),
///         _ => String::new(),
///     };
///     let retry = {
///         let sync = sync.clone();
///         move |_| sync.retry_now()
///     };
///     html! {
///         <span class="sync">
///             { text }
///             if sync.phase.can_retry() { <button onclick={retry}>{ "Retry now" }</button> }
///         </span>
///     }
/// }
/// ```
///
/// # Caution
/// `SyncPhase` is `#[non_exhaustive]`: keep a catch-all arm. `retry_in_ms` of
/// `Unreachable` and `last_synced` are as of when the worker derived the state; count down or
/// say "2 minutes ago" with your own clock.
#[hook]
pub fn use_sync_status() -> UseSyncStatusHandle {
    let worker = use_localful().worker().clone();
    let state = use_state(|| worker.sync_state());
    {
        let state = state.clone();
        use_effect_with(worker.clone(), move |worker| {
            state.set(worker.sync_state());
            let source = worker.clone();
            let subscription = worker.subscribe(move || state.set(source.sync_state()));
            move || drop(subscription)
        });
    }
    UseSyncStatusHandle { state: (*state).clone(), worker }
}
