//! The data model: vaults, items and versions, with the ids and timestamps of the wire
//! protocol ([`localful_protocol`]).

pub(crate) mod item;
pub(crate) mod lww;
pub(crate) mod vault;
pub(crate) mod value;
pub(crate) mod version;

pub use localful_protocol::{IdError, ItemId, Timestamp, TimestampError, UserId, VaultId, VersionId};
pub use item::{Exposed, ExposedValues, Item};
pub use lww::current_version;
pub use vault::VaultMeta;
pub use value::{compare_values, sort_order};
pub use version::{Version, VersionMeta};
