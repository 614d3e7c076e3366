//! # localful-core
//!
//! The platform-neutral heart of Localful: the data model (vaults, items, immutable versions),
//! encryption, the store (IndexedDB in the browser, in memory natively), queries, change events and
//! the pure sync state machine. Everything that can be pure is free of IO and of `web-sys`, so it is
//! tested natively in milliseconds; the browser adapters are tested in headless Chromium.

//!
//! ## Layers
//! `model` (ids, [`VaultMeta`], [`Item`], [`Version`], last write wins) → `collection` (typed
//! [`Collection`]s in a [`Schema`]) → `crypto` ([`crypto::Cipher`]) → `store` (the [`Store`] trait:
//! [`MemoryStore`] everywhere, `IndexedDbStore` on wasm) → `query` ([`Query`], pure evaluation) →
//! `events` ([`EventBus`], `BroadcastChannel` on wasm) → the typed API ([`Database`],
//! [`VaultHandle`]).
//!
//! ## Storage layout (IndexedDB)
//! One registry database holds the vaults; each vault has its own database with two object
//! stores. `items` holds one row per item: the item, its exposed fields, every version's metadata,
//! its pending outbox entries and its current version with the encrypted data. `versions` holds
//! one row per other live version, keyed `[item id, version id]`. Creating an item is therefore
//! one row, and an edit two (the item row with the new version, and the version it replaced moved
//! to `versions`), in one transaction — the outbox entry and the exposed fields ride on the item
//! row, and the outbox is a sparse index over item rows with pending entries. A query reads its
//! candidates' data with their rows. Each `Indexed` exposed field is a multi-entry
//! index (arrays index each element) holding only live items of its collection. A small `meta`
//! store keeps local-only values ([`Replica::meta`]). A write is about 5 ms per item in
//! headless Chromium on a loaded 2-core machine (`measure_writes` in `tests/store_idb`).
//!
//! ## Behaviour worth knowing
//! - **Last write wins** by `(created_at, id)` ([`current_version`]). A local write is dated at
//!   least 1 ms after the item's current version, so an edit always wins on the device that made
//!   it, even within one millisecond or after the clock stepped back.
//! - **Tombstones**: deleting an item drops every version's data and its exposed fields; the item
//!   row stays with `deleted_at` and takes no more writes ([`StoreError::ItemDeleted`]); a late
//!   remote version of it is ignored. Deleting a version drops its data and keeps its metadata;
//!   the last live version cannot be deleted ([`StoreError::LastVersion`]).
//! - **Outbox**: every local item write records [`OutboxEntry`]s on the item row in the same
//!   transaction ([`Replica::pending`], [`Replica::ack`]); vault writes mark the vault
//!   pending ([`Database::pending_vaults`], [`Database::ack_vault`]). Remote application
//!   ([`Replica::apply_remote_item`], [`Replica::apply_remote_version`],
//!   [`Database::apply_remote_vault`]) is idempotent, records nothing pending and emits the same
//!   events. Exposed fields are never in what is pushed: versions carry only `protected_data`.
//! - **Queries**: `Like` is a case-insensitive contains on strings and an order-insensitive set
//!   equality on arrays; `Includes` is element membership on arrays and a case-sensitive contains
//!   on strings; ordering comparisons only match values of the same kind (numbers, strings —
//!   timestamps compare as RFC 3339 strings); an absent field matches nothing (`NotEqual` too).
//!   `In` takes a list (on an `Indexed` field: one index key per element). Without `order_by`
//!   results come in creation order. [`QueryStats`] tells which index was used and how many rows
//!   were read and decrypted. [`Query::with_total`] adds the exact number of matches, counting
//!   rows that exposed fields decide without decrypting them; [`QueryResult::next`] is a keyset
//!   [`Cursor`] for [`Query::after`], so a next page stays right while items change before it.
//! - **Schema changes**: data written under an older schema version is migrated on every read
//!   (never rewritten by a read; saving the item writes the migrated value as a new version under
//!   the current schema version) — typed or JSON steps with [`Migrations`]; a newer one is
//!   [`DataError::NewerSchema`]. When a collection's exposed
//!   fields change, opening the vault recomputes the stale rows' exposed fields and indexes.
//! - **Several tabs**: every write is a read-modify-write in one readwrite transaction, so
//!   concurrent writers serialise; a connection asked to upgrade by another tab closes and
//!   reopens on its next use.
//! - **A full disk**: a write IndexedDB refuses for lack of space is [`StoreError::QuotaExceeded`]
//!   and leaves nothing written (the transaction's own error, not a bare abort).
//! - **The user's data**: [`storage`] reads and requests persistence and the quota estimate, and
//!   remembers the device's vaults ([`storage::KnownVaults`]) to notice an eviction; [`backup`]
//!   is the versioned, encrypted backup file ([`VaultHandle::export_backup`],
//!   [`Database::verify_backup`], [`Database::restore_backup`]).
//! - **Events** travel as JSON on the app's `BroadcastChannel`
//!   [`wire::channels::events`]`(app)`, `localful:{app}:events` (see [`ChangeEvent`]).
//!
//! ## Example
//! ```
//! use localful_core::*;
//! use serde::{Deserialize, Serialize};
//! use std::rc::Rc;
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Note { title: String, body: String, tags: Vec<String> }
//!
//! impl Collection for Note {
//!     const NAME: &'static str = "notes";
//!     fn exposed_fields() -> Vec<ExposedField> {
//!         vec![ExposedField::indexed("title"), ExposedField::plain("tags")]
//!     }
//! }
//!
//! # futures::executor::block_on(async {
//! // In the browser: `IndexedDbStore::new("my-app")` and
//! // `EventBus::with_channel(&wire::channels::events("my-app"))`.
//! let db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "laptop");
//! let vault = db.create_vault("Personal", "v1:wrapped-key").await?;
//! // The unlocked data key (see `crypto::unlock`); here a fresh one.
//! let key = crypto::VaultKey::generate().await?;
//! let vault = db.open_vault(vault.id, Rc::new(key)).await?;
//!
//! let id = vault.create(&Note { title: "Groceries".into(), body: "milk".into(), tags: vec!["home".into()] }).await?;
//! let found = vault
//!     .query::<Note>(&Query::new().filter(Field::data("tags"), Op::Includes, "home"))
//!     .await?;
//! assert_eq!(found.entries[0].id(), id);
//! # Ok::<(), Error>(())
//! # }).unwrap();
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod backup;
mod codec;
mod collection;
pub mod crypto;
mod database;
mod error;
mod events;
pub mod logging;
mod model;
pub mod prelude;
pub mod query;
pub mod storage;
pub mod store;
pub mod sync;
pub mod testing;
pub mod wire;

/// Derives [`Collection`] (see [`TypedField`] for an example): `#[collection(name = "…")]`,
/// optional `version = N` and `migrate = path`; `#[field(indexed)]` / `#[field(exposed)]` on the
/// fields copied unencrypted onto the local item; one typed handle per field (`Note::TITLE`).
pub use localful_derive::Collection;
/// The JSON values migrations take and return (so derived code needs no `serde_json` of its own).
pub use serde_json;
pub use collection::{Collection, CollectionDef, DataError, ExposedField, Exposure, MigrationError, Migrations, Schema};
pub use database::{AckOutcome, Database, DeviceActivity, Entry, QueryResult, Replica, VaultHandle};
pub use error::{Error, Result};
pub use events::{ChangeEvent, EventBus, EventStream, ItemAction, ItemsChanged, Origin, Subscription, VaultAction};
pub use model::{
    Exposed, ExposedValues, IdError, Item, ItemId, Timestamp, TimestampError, UserId, VaultMeta, VaultId, Version, VersionId,
    VersionMeta, compare_values, current_version, sort_order,
};
pub use query::{Condition, Cursor, Direction, Field, Op, Query, QueryStats, TypedField};
pub use store::ops::Prune;
#[cfg(target_arch = "wasm32")]
pub use store::IndexedDbStore;
pub use store::{MemoryStore, OutboxEntry, Store, StoreError, StoredItem};
