//! # localful-core
//!
//! The platform-neutral heart of Localful: the data model (vaults, items, immutable versions),
//! encryption, the store (IndexedDB in the browser, in memory natively), queries, change events and
//! the pure sync state machine. Everything that can be pure is free of IO and of `web-sys`, so it is
//! tested natively in milliseconds; the browser adapters are tested in headless Chromium.

pub mod crypto;
mod model;

pub use model::timestamp::{Timestamp, TimestampError};
