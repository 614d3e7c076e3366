//! The names an app uses most, to glob-import beside `yew::prelude::*` (and
//! `localful_yew::prelude::*`) with no name meaning two things:
//!
//! ```
//! use localful_core::prelude::*;
//! ```
//!
//! Two names differ from the crate root's, where yew's prelude or the Yew bindings use the plain
//! name for something else: the change event is [`ChangeEvent`] (yew's prelude has the DOM's
//! `Event`), and a vault's metadata is [`VaultMeta`] (`localful_yew::prelude` has the unlocked
//! vault, `OpenVault`; an open vault here is a [`VaultHandle`]).

/// A change event (the crate root's [`Event`](crate::Event)).
pub use crate::Event as ChangeEvent;
/// A vault's metadata: name, wrapped key, sync flag (the crate root's [`Vault`](crate::Vault)).
pub use crate::Vault as VaultMeta;
pub use crate::{
    Collection, Cursor, DeviceActivity, Direction, Entry, Error, ExposedField, Field, ItemId, MigrationError, Migrations, Op, Query,
    QueryResult, Timestamp, TypedField, VaultHandle, VaultId, VersionId, VersionMeta,
};
