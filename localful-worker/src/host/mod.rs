//! The worker host: serves tabs over the typed [`TabMessage`](crate::tab_protocol::TabMessage) /
//! [`WorkerMessage`](crate::tab_protocol::WorkerMessage) protocol — the session (a tab logs in or
//! registers over HTTP itself, [`http::sign_in`](crate::http::sign_in), and hands the host the
//! session's tokens, never a password; the host alone refreshes tokens, tells tabs the refresh
//! token to keep in localStorage, and logs out), the sync status, and which vaults the engine syncs (every vault with
//! `sync_enabled` whose key a tab has unlocked in this browser session).
//!
//! [`Host`] is the platform-neutral service (tested natively); in the browser, [`start`] hosts it
//! in a `SharedWorker` (tabs connect with `MessagePort`s) or in the dedicated `Worker` that the
//! tab holding the Web Lock started (tabs talk over a `BroadcastChannel`). The app's worker binary
//! calls `start` with the app's [`Schema`](localful_core::Schema), because applying a remote
//! version computes the item's exposed fields.

#[cfg_attr(target_arch = "wasm32", path = "browser.rs")]
#[cfg_attr(not(target_arch = "wasm32"), path = "native.rs")]
mod platform;
mod service;

pub use platform::start;
pub use service::{Host, HostConfig, KeyFor, OpenDatabase, TabId, TabSender};
