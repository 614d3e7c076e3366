//! The browser's storage manager (`navigator.storage`): whether this origin's data is kept until
//! the user deletes it ("persisted"), how much it uses and how much it may use.
//!
//! Not to be confused with [`store`](crate::store), the database itself. A browser may clear a
//! non-persisted origin's IndexedDB under storage pressure (Chromium evicts the least recently
//! used origins; Safari clears script-written storage of sites not used for 7 days). Asking for
//! persistence ([`request_persistence`]) is best done at a moment the user chose (after creating
//! a vault, from a settings screen): browsers grant it by engagement, bookmarks or installation,
//! and may grant it without asking or refuse it silently.
//!
//! [`KnownVaults`] notices that the browser cleared the database: the app keeps the list of its
//! vaults outside IndexedDB and compares it with the registry at start (`use_cleared_vaults` in
//! `localful-yew` does both).
//!
//! # Example
//! ```no_run
//! # async fn example() -> Result<(), localful_core::storage::StorageError> {
//! use localful_core::storage;
//! let granted = storage::request_persistence().await?;
//! let status = storage::status().await?;
//! assert_eq!(status.persisted, granted);
//! if let Some(free) = status.available_bytes() {
//!     println!("{free} bytes left for this app");
//! }
//! # Ok(()) }
//! ```

mod known;
mod status;
pub use known::{KnownVault, KnownVaults};
pub use status::{StorageError, StorageStatus};

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::{request_persistence, status};

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::{request_persistence, status};
