//! The socket `push` event and its per-id ack.

use super::{ErrorBody, WireItem, WireVersion};
use serde::{Deserialize, Serialize};

/// `push {items, versions}`: creates and deletions (a `deletedAt` set), idempotent by id. The
/// server applies items before versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// Items created or deleted.
    pub items: Vec<WireItem>,
    /// Versions created or deleted.
    pub versions: Vec<WireVersion>,
}

impl PushRequest {
    /// Whether the batch carries nothing.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.versions.is_empty()
    }
}

/// The outcome of one id of a push.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushOutcome {
    /// The id as sent.
    pub id: String,
    /// Whether the server now holds the entry as sent (`created` or `exists`).
    pub ok: bool,
    /// `created` or `exists` when `ok`.
    #[serde(default)]
    pub status: Option<String>,
    /// Why not, when not `ok`.
    #[serde(default)]
    pub error: Option<ErrorBody>,
}

/// The ack of a push: `{ok, items: [outcome], versions: [outcome]}` or `{ok: false, error}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushAck {
    /// Whether the batch was read (each id then has its own outcome).
    pub ok: bool,
    /// Outcomes of the items, by id.
    #[serde(default)]
    pub items: Vec<PushOutcome>,
    /// Outcomes of the versions, by id.
    #[serde(default)]
    pub versions: Vec<PushOutcome>,
    /// Why the whole batch failed, when not `ok`.
    #[serde(default)]
    pub error: Option<ErrorBody>,
}
