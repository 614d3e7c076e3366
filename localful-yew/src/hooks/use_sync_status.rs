use crate::context::use_localful;
use localful_core::sync::SyncStatus;
use yew::prelude::*;

/// The sync status of this origin's sync worker — `Offline`, `Connecting`, `Syncing { done,
/// total }`, `Idle` or `Error { reason }` — re-rendering the component whenever it changes (in any
/// tab, every tab sees the same status).
///
/// Without a [`server_url`](crate::LocalfulConfig) (local only) it is always `Offline`.
///
/// # Example
/// ```no_run
/// # use localful_yew::use_sync_status;
/// # use localful_core::sync::SyncStatus;
/// # use yew::prelude::*;
/// #[function_component]
/// fn SyncBadge() -> Html {
///     let text = match use_sync_status() {
///         SyncStatus::Offline => "offline".to_string(),
///         SyncStatus::Connecting => "connecting…".to_string(),
///         SyncStatus::Syncing { done, total } => format!("syncing {done} of {total}"),
///         SyncStatus::Idle => "up to date".to_string(),
///         SyncStatus::Error { reason } => format!("sync error: {reason}"),
///         _ => String::new(),
///     };
///     html! { <span class="sync">{ text }</span> }
/// }
/// ```
///
/// # Caution
/// `SyncStatus` is `#[non_exhaustive]`: keep a catch-all arm.
#[hook]
pub fn use_sync_status() -> SyncStatus {
    let worker = use_localful().worker().clone();
    let status = use_state(|| worker.status());
    {
        let status = status.clone();
        use_effect_with(worker, move |worker| {
            status.set(worker.status());
            let source = worker.clone();
            let subscription = worker.subscribe(move || status.set(source.status()));
            move || drop(subscription)
        });
    }
    (*status).clone()
}
