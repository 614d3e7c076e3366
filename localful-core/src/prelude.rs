//! The names an app uses most, to glob-import beside `yew::prelude::*` (and
//! `localful_yew::prelude::*`) with no name meaning two things:
//!
//! ```
//! use localful_core::prelude::*;
//! ```
//!
//! Its names are the crate root's; none collides with yew's prelude (the change event is
//! [`ChangeEvent`], not the DOM's `Event`; a vault's metadata is [`VaultMeta`]; an open vault here
//! is a [`VaultHandle`], and `OpenVault` in `localful_yew::prelude`).

pub use crate::{
    ChangeEvent, Collection, Cursor, DeviceActivity, Direction, Entry, Error, ExposedField, Field, ItemId, MigrationError, Migrations, Op, Query,
    QueryResult, Timestamp, TypedField, VaultHandle, VaultId, VaultMeta, VersionId, VersionMeta,
};
