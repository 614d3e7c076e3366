//! # localful-yew
//!
//! Yew bindings for Localful. Wrap your app in a [`LocalfulProvider`], unlock a vault with
//! [`use_vault`], then read and write typed items with hooks that re-render when the data changes —
//! in this tab, in another tab, or because the sync worker applied a change from another device.
//!
//! | hook | what it gives |
//! |---|---|
//! | [`use_vaults`] | the vault list, and creating a vault |
//! | [`use_vault`] | one vault's lock state; unlock, lock and change its password |
//! | [`use_query`] | a typed query's results, re-run when its vault and collection change |
//! | [`use_get`] | items by id, re-read when one of them changes |
//! | [`use_versions`] | an item's history |
//! | [`use_storage`] | this origin's storage: persisted or not, usage and quota; asking to persist |
//! | `use_backup` (browser) | encrypted backup export to a file and restore, with progress ([`localful_core::backup`]) |
//! | `use_cleared_vaults` (browser) | the vaults the browser cleared from this device (eviction), and whether each came back |
//! | [`use_live`] | any read of your own (a count, an aggregate), re-run when the events its [`Watch`] declares fire |
//! | [`use_mutation`] | create (one or many), update, delete and restore, each awaitable for its result, with in-flight and error state |
//!
//! Every read hook returns a read-only [`Live`] handle that dereferences to an [`AsyncState`]
//! (`Loading`, `Ready`, `Failed`), with [`Live::refresh`] and [`Live::is_refreshing`]. Every
//! mutation returns a [`MutationFuture`] of its result (the new id, version id, or typed error),
//! which can be awaited or left: the write runs either way. A re-run never
//! overwrites a newer result with an older one (latest-id guard); a change event after a quiet spell re-runs a
//! hook at once, and the events of a burst that follow it re-run it once more when the burst is
//! over ([`LocalfulConfig::debounce_ms`]); unmounting drops the subscription and any
//! pending timer, and results of work still in flight are discarded. Timers run on the
//! configuration's [`Clock`]: tests give [`LocalfulConfig::with_clock`] a [`ManualClock`] and
//! move time exactly instead of sleeping.
//!
//! ```no_run
//! use localful_yew::*;
//! use localful_core::{Collection, ExposedField, Query, Field, Op, Direction, VaultId};
//! use serde::{Deserialize, Serialize};
//! use yew::prelude::*;
//!
//! #[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
//! struct Note { title: String, tags: Vec<String> }
//! impl Collection for Note {
//!     const NAME: &'static str = "notes";
//!     fn exposed_fields() -> Vec<ExposedField> { vec![ExposedField::indexed("tags")] }
//! }
//!
//! #[derive(Properties, PartialEq)]
//! struct NotesProps { vault: VaultId }
//!
//! #[function_component]
//! fn Notes(props: &NotesProps) -> Html {
//!     let vault = use_vault(props.vault);
//!     match vault.state() {
//!         VaultState::Unlocked(handle) => html! { <NoteList vault={handle.clone()} /> },
//!         VaultState::Locked(_) => {
//!             let unlock = vault.unlock_callback();
//!             html! { <button onclick={move |_| unlock.emit("password".to_string())}>{ "Unlock" }</button> }
//!         }
//!         VaultState::Failed(err) => html! { <p class="error">{ err.to_string() }</p> },
//!         _ => html! { <p>{ "…" }</p> },
//!     }
//! }
//!
//! #[derive(Properties, PartialEq)]
//! struct ListProps { vault: OpenVault } // an unlocked vault
//!
//! #[function_component]
//! fn NoteList(props: &ListProps) -> Html {
//!     let query = Query::new().order_by(Field::data("title"), Direction::Ascending);
//!     let notes = use_query::<Note>(&props.vault, query);
//!     let mutation = use_mutation::<Note>(&props.vault);
//!     let add = {
//!         let mutation = mutation.clone();
//!         Callback::from(move |_| { mutation.create(Note { title: "New".into(), tags: vec![] }); })
//!     };
//!     html! {
//!         <>
//!             <button onclick={add} disabled={mutation.is_running()}>{ "Add" }</button>
//!             if let Some(err) = mutation.error() { <p class="error">{ err.to_string() }</p> }
//!             { match &*notes {
//!                 AsyncState::Ready(page) => page.entries.iter()
//!                     .map(|e| html! { <li key={e.id().to_string()}>{ &e.data.title }</li> }).collect(),
//!                 AsyncState::Failed(err) => html! { <p>{ err.to_string() }</p> },
//!                 AsyncState::Loading => html! { <p>{ "Loading…" }</p> },
//!             } }
//!         </>
//!     }
//! }
//!
//! #[function_component]
//! fn App() -> Html {
//!     let config = LocalfulConfig::new("my-notes").with_collection::<Note>();
//!     html! { <LocalfulProvider {config}><Notes vault={VaultId::new()} /></LocalfulProvider> }
//! }
//! ```
//!
//! With a server ([`LocalfulConfig::with_server`]) the provider connects the tab to the sync
//! worker: [`use_auth`] logs in and registers (over HTTP from the page; the worker is handed only
//! the session's tokens, never a password) and [`use_sync_status`] shows where sync stands — one
//! [`SyncState`] the worker derives (up to date, sending the changes waiting, receiving, offline,
//! server unreachable with the next retry, signed out, session expired, or a typed [`SyncError`]),
//! with the count of changes not yet on the server and when everything was last in sync.
//! [`explain`] turns any `SyncError` into plain words that say what to do.

mod clock;
mod config;
mod context;
mod forget;
mod hooks;
mod live;
mod mutation_future;
pub mod prelude;
mod provider;
mod reactive;
mod session;
mod state;
mod watch;
pub mod worker;

pub use clock::{Clock, ManualClock, SystemClock, Timer};
pub use config::{LocalfulConfig, StorageKind};
pub use context::{use_localful, LocalfulContext};
pub use hooks::*;
pub use live::Live;
pub use mutation_future::MutationFuture;
pub use provider::{LocalfulProvider, LocalfulProviderProps};
pub use session::{ChangePasswordError, OpenVault, VaultSessions, MIN_PASSWORD_CHARS};
pub use state::AsyncState;
pub use watch::Watch;
pub use localful_core::sync::SyncError;
pub use localful_worker::explain;
pub use localful_worker::tab_protocol::{SyncPhase, SyncState};

/// The README's code samples, compiled as doctests so they cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
