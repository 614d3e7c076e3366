//! The data model: ids, timestamps, vaults, items and versions.

pub(crate) mod ids;
pub(crate) mod item;
pub(crate) mod lww;
pub(crate) mod timestamp;
pub(crate) mod vault;
pub(crate) mod value;
pub(crate) mod version;

pub use ids::{IdError, ItemId, VaultId, VersionId};
pub use item::{Exposed, ExposedValues, Item};
pub use lww::current_version;
pub use timestamp::{Timestamp, TimestampError};
pub use vault::Vault;
pub use value::{compare_values, sort_order};
pub use version::{Version, VersionMeta};
