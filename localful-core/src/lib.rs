//! # localful-core
//!
//! The platform-neutral heart of Localful: the data model (vaults, items, immutable versions),
//! encryption, the store (IndexedDB in the browser, in memory natively), queries, change events and
//! the pure sync state machine. Everything that can be pure is free of IO and of `web-sys`, so it is
//! tested natively in milliseconds; the browser adapters are tested in headless Chromium.

//!
//! ## Layers
//! `model` (ids, [`Vault`], [`Item`], [`Version`], last write wins) → `collection` (typed
//! [`Collection`]s in a [`Schema`]) → `crypto` ([`crypto::Cipher`]) → `store` (the [`Store`] trait:
//! [`MemoryStore`] everywhere, `IndexedDbStore` on wasm) → `query` ([`Query`], pure evaluation) →
//! `events` ([`EventBus`], `BroadcastChannel` on wasm) → the typed API ([`Database`],
//! [`VaultHandle`]).
//!
//! ## Storage layout (IndexedDB)
//! One registry database holds the vaults; each vault has its own database with two object
//! stores. `items` holds one row per item: the item, its exposed fields, every version's metadata
//! and its pending outbox entries. `versions` holds one row per live version with its encrypted
//! data, keyed `[item id, version id]`. A write is therefore two rows (item + version) in one
//! transaction — the outbox entry and the exposed fields ride on the item row, and the outbox is a
//! sparse index over item rows with pending entries. Each `Indexed` exposed field is a multi-entry
//! index (arrays index each element) holding only live items of its collection.
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
//! // In the browser: `IndexedDbStore::new("my-app")` and `EventBus::with_channel(DEFAULT_CHANNEL)`.
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

mod codec;
mod collection;
pub mod crypto;
mod database;
mod error;
mod events;
mod model;
pub mod query;
pub mod store;
pub mod sync;
pub mod testing;
pub mod wire;

pub use collection::{Collection, CollectionDef, DataError, ExposedField, Exposure, MigrationError, Schema};
pub use database::{Database, Entry, QueryResult, VaultHandle};
pub use error::{Error, Result};
pub use events::{
    DEFAULT_CHANNEL, Event, EventBus, EventStream, ItemAction, ItemsChanged, Subscription, VaultAction,
};
pub use model::{
    Exposed, ExposedValues, IdError, Item, ItemId, Timestamp, TimestampError, Vault, VaultId, Version, VersionId,
    VersionMeta, compare_values, current_version, sort_order,
};
pub use query::{Condition, Direction, Field, Op, Query, QueryStats};
pub use store::ops::Prune;
#[cfg(target_arch = "wasm32")]
pub use store::IndexedDbStore;
pub use store::{MemoryStore, OutboxEntry, Store, StoreError, StoredItem};
