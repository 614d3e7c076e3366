//! The data model: ids, timestamps, vaults, items and versions.

pub(crate) mod timestamp;
