//! Typed change events.

use crate::model::{ItemId, VaultId};
use crate::store::Pending;
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

/// Who wrote the change of an [`ItemsChanged`] event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Origin {
    /// The app, through a [`VaultHandle`](crate::VaultHandle) (in any context): the write left
    /// outbox entries for the server, listed in [`ItemsChanged::pending`].
    Local,
    /// The sync engine, through a [`Replica`](crate::Replica): a change from the server applied,
    /// or a repair. It leaves nothing to push, and the engine that wrote it already knows of it.
    Sync,
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
    /// Who wrote it.
    pub origin: Origin,
    /// For an [`Origin::Local`] write, the outbox entries it left: those it added and those whose
    /// deletion state it changed, as the write committed them (the sync engine merges them into
    /// what it pushes instead of reading the outbox again). Empty for [`Origin::Sync`]; left out
    /// of the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<Pending>,
}

impl ItemsChanged {
    /// A local write's event: `ids` of `collection` in `vault` changed by `action`, leaving
    /// `pending` in the outbox.
    pub fn local(vault: VaultId, collection: impl Into<String>, ids: Vec<ItemId>, action: ItemAction, pending: Vec<Pending>) -> Self {
        Self { vault, collection: collection.into(), ids, action, origin: Origin::Local, pending }
    }

    /// The sync engine's event: `ids` of `collection` in `vault` changed by `action`.
    pub fn synced(vault: VaultId, collection: impl Into<String>, ids: Vec<ItemId>, action: ItemAction) -> Self {
        Self { vault, collection: collection.into(), ids, action, origin: Origin::Sync, pending: Vec::new() }
    }
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
/// `BroadcastChannel`, as a JSON string. An item change says who wrote it (`origin`) and, for a
/// local write, the outbox entries it left (`pending`, see [`Pending`] for their form):
///
/// ```
/// use localful_core::store::{OutboxEntry, Pending};
/// use localful_core::{ChangeEvent, ItemAction, ItemId, ItemsChanged, VaultId, VersionId};
/// let (vault, id, version) = (VaultId::new(), ItemId::new(), VersionId::new());
/// let pending = vec![
///     Pending { entry: OutboxEntry::Item(id), deleted: false },
///     Pending { entry: OutboxEntry::Version(id, version), deleted: false },
/// ];
/// let created = ChangeEvent::Items(ItemsChanged::local(vault, "notes", vec![id], ItemAction::Created, pending));
/// assert_eq!(
///     serde_json::to_string(&created)?,
///     format!(
///         r#"{{"kind":"items","vault":"{vault}","collection":"notes","ids":["{id}"],"action":"created","origin":"local","pending":[{{"item":"{id}"}},{{"item":"{id}","version":"{version}"}}]}}"#
///     )
/// );
/// // The same item arriving from the server, applied by the sync engine:
/// let pulled = ChangeEvent::Items(ItemsChanged::synced(vault, "notes", vec![id], ItemAction::Created));
/// assert_eq!(
///     serde_json::to_string(&pulled)?,
///     format!(r#"{{"kind":"items","vault":"{vault}","collection":"notes","ids":["{id}"],"action":"created","origin":"sync"}}"#)
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum ChangeEvent {
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

impl ChangeEvent {
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
        let e = ChangeEvent::Vault { vault, action: VaultAction::Unlocked };
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(text, format!(r#"{{"kind":"vault","vault":"{vault}","action":"unlocked"}}"#));
        assert_eq!(serde_json::from_str::<ChangeEvent>(&text).unwrap(), e);
        assert!(serde_json::from_str::<ChangeEvent>(r#"{"kind":"other"}"#).is_err());
    }

    #[test]
    fn item_events_round_trip_and_need_their_origin() {
        use crate::store::{OutboxEntry, Pending};
        let (vault, id) = (VaultId::new(), ItemId::new());
        let pending = vec![Pending { entry: OutboxEntry::Item(id), deleted: true }];
        let deleted = ChangeEvent::Items(ItemsChanged::local(vault, "notes", vec![id], ItemAction::Deleted, pending));
        let text = serde_json::to_string(&deleted).unwrap();
        assert!(text.ends_with(&format!(r#""origin":"local","pending":[{{"item":"{id}","deleted":true}}]}}"#)), "{text}");
        assert_eq!(serde_json::from_str::<ChangeEvent>(&text).unwrap(), deleted);
        let pulled = ChangeEvent::Items(ItemsChanged::synced(vault, "notes", vec![id], ItemAction::Updated));
        assert_eq!(serde_json::from_str::<ChangeEvent>(&serde_json::to_string(&pulled).unwrap()).unwrap(), pulled);
        // An event of a tab older than `origin` is not one of ours (PROTOCOL_VERSION 4).
        let old = format!(r#"{{"kind":"items","vault":"{vault}","collection":"notes","ids":["{id}"],"action":"created"}}"#);
        assert!(serde_json::from_str::<ChangeEvent>(&old).is_err());
    }
}
