//! The change log: entries of `/v1/vaults/:id/changes` and of the socket's item/version events.

use super::{WireItem, WireVersion};
use crate::model::VaultId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a change-log entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeKind {
    /// `item-create`.
    #[serde(rename = "item-create")]
    ItemCreate,
    /// `item-delete`.
    #[serde(rename = "item-delete")]
    ItemDelete,
    /// `version-create`.
    #[serde(rename = "version-create")]
    VersionCreate,
    /// `version-delete`.
    #[serde(rename = "version-delete")]
    VersionDelete,
}

impl ChangeKind {
    /// Every kind, for subscribing to the socket events of the same names.
    pub const ALL: [ChangeKind; 4] = [Self::ItemCreate, Self::ItemDelete, Self::VersionCreate, Self::VersionDelete];

    /// The event name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Self::ItemCreate => "item-create",
            Self::ItemDelete => "item-delete",
            Self::VersionCreate => "version-create",
            Self::VersionDelete => "version-delete",
        }
    }
}

/// One change-log entry `{seq, event, vaultId, createdAt, item | version}`, carrying the entity
/// as it is now on the server (so applying entries in order, again or late, is always safe).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// The vault's monotonic change number.
    pub seq: u64,
    /// What happened.
    pub event: ChangeKind,
    /// The vault.
    pub vault_id: VaultId,
    /// Server time of the change (informative).
    #[serde(default)]
    pub created_at: Option<String>,
    /// The item, for item changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<WireItem>,
    /// The version, for version changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<WireVersion>,
}

/// `meta` of a listing; `latestSeq` only on `/changes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingMeta {
    /// Results in this page.
    pub results: u64,
    /// Results in total.
    pub total: u64,
    /// The page size.
    pub limit: u64,
    /// The page offset.
    pub offset: u64,
    /// The vault's latest `seq` (on `/changes`).
    #[serde(default)]
    pub latest_seq: Option<u64>,
}

/// A page of `/v1/vaults/:id/changes?since=&limit=`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesPage {
    /// Paging and `latestSeq`.
    pub meta: ListingMeta,
    /// Entries with `seq > since`, in order.
    pub results: Vec<Change>,
}

/// The ack of `subscribe {vaults}`: `{ok, vaults, latestSeq: {id: seq}, rejected}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeAck {
    /// Whether the request was read.
    pub ok: bool,
    /// The vaults now subscribed.
    #[serde(default)]
    pub vaults: Vec<VaultId>,
    /// Each subscribed vault's latest `seq`.
    #[serde(default)]
    pub latest_seq: BTreeMap<VaultId, u64>,
    /// Vaults refused (not found, not yours), with the error.
    #[serde(default)]
    pub rejected: Vec<serde_json::Value>,
}
