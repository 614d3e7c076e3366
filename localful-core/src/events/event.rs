//! Typed change events.

use crate::model::{ItemId, VaultId};
use serde::{Deserialize, Serialize};

/// What happened to the items of an [`ItemsChanged`] event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ItemAction {
    /// Items were created.
    Created,
    /// Items got a new current version (an update, a restore, a remote version, a version deletion
    /// that changed which version is current).
    Updated,
    /// Items were deleted (tombstoned).
    Deleted,
    /// Only the items' history changed (old versions deleted or pruned, an older version arrived).
    HistoryChanged,
}

/// Some items of one collection of one vault changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemsChanged {
    /// The vault.
    pub vault: VaultId,
    /// The collection.
    pub collection: String,
    /// The items.
    pub ids: Vec<ItemId>,
    /// What happened.
    pub action: ItemAction,
}

/// What happened to a vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum VaultAction {
    /// Created.
    Created,
    /// Renamed (or its metadata changed).
    Updated,
    /// Deleted.
    Deleted,
    /// Opened in this context.
    Opened,
    /// Closed in this context.
    Closed,
    /// Locked (key dropped).
    Locked,
    /// Unlocked (key in memory).
    Unlocked,
}

/// A change event, delivered on the local bus and to every other context over the
/// `BroadcastChannel`, as a JSON string:
///
/// ```
/// use localful_core::{Event, ItemAction, ItemId, ItemsChanged, VaultId};
/// let (vault, id) = (VaultId::new(), ItemId::new());
/// let event = Event::Items(ItemsChanged { vault, collection: "notes".into(), ids: vec![id], action: ItemAction::Created });
/// assert_eq!(
///     serde_json::to_string(&event)?,
///     format!(r#"{{"kind":"items","vault":"{vault}","collection":"notes","ids":["{id}"],"action":"created"}}"#)
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Event {
    /// Items changed.
    Items(ItemsChanged),
    /// A vault changed.
    Vault {
        /// The vault.
        vault: VaultId,
        /// What happened.
        action: VaultAction,
    },
}

impl Event {
    /// The vault the event is about.
    pub fn vault(&self) -> VaultId {
        match self {
            Self::Items(c) => c.vault,
            Self::Vault { vault, .. } => *vault,
        }
    }

    /// Whether a query over `collection` of `vault` should re-run: item changes in that collection,
    /// and any event about the whole vault.
    pub fn touches(&self, vault: VaultId, collection: &str) -> bool {
        match self {
            Self::Items(c) => c.vault == vault && c.collection == collection,
            Self::Vault { vault: v, .. } => *v == vault,
        }
    }

    /// Whether the event concerns item `id` of `vault` (for a single-item reader such as `use_get`).
    pub fn touches_item(&self, vault: VaultId, id: ItemId) -> bool {
        match self {
            Self::Items(c) => c.vault == vault && c.ids.contains(&id),
            Self::Vault { vault: v, .. } => *v == vault,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_events_on_the_wire() {
        let vault = VaultId::new();
        let e = Event::Vault { vault, action: VaultAction::Unlocked };
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(text, format!(r#"{{"kind":"vault","vault":"{vault}","action":"unlocked"}}"#));
        assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), e);
        assert!(serde_json::from_str::<Event>(r#"{"kind":"other"}"#).is_err());
    }
}
