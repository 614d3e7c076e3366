//! What a live custom read ([`crate::use_live`]) follows: the change events that re-run it.

use localful_core::{Collection, ChangeEvent, ItemId, VaultId};

/// The change events a [`use_live`](crate::use_live) read re-runs on, within its vault: every
/// item change of the whole vault, item changes of some collections, and/or changes naming some
/// items. An event about the vault itself (renamed, locked, unlocked…) always matches, as it does
/// for [`use_query`](crate::use_query).
///
/// Built from nothing and widened; compared by value, so it can be built on every render.
///
/// ```
/// use localful_core::{Collection, ChangeEvent, ItemAction, ItemId, ItemsChanged, VaultId};
/// use localful_yew::Watch;
/// # #[derive(serde::Serialize, serde::Deserialize)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// let (vault, id) = (VaultId::new(), ItemId::new());
/// let notes = Watch::new().collection::<Note>();
/// let tag_changed = ChangeEvent::Items(ItemsChanged::synced(vault, "tags", vec![id], ItemAction::Updated));
/// assert!(!notes.matches(&tag_changed, vault));
/// assert!(notes.clone().item(id).matches(&tag_changed, vault));
/// assert!(Watch::vault().matches(&tag_changed, vault));
/// assert!(!Watch::vault().matches(&tag_changed, VaultId::new()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Watch {
    whole_vault: bool,
    collections: Vec<String>,
    items: Vec<ItemId>,
}

impl Watch {
    /// Follows only events about the vault itself (none of its items' changes); widen it with
    /// [`collection`](Self::collection), [`collection_named`](Self::collection_named),
    /// [`item`](Self::item) or [`items`](Self::items).
    pub fn new() -> Self {
        Self::default()
    }

    /// Follows every change in the vault, in any collection.
    pub fn vault() -> Self {
        Self { whole_vault: true, ..Self::default() }
    }

    /// Also follows item changes of collection `C`.
    pub fn collection<C: Collection>(self) -> Self {
        self.collection_named(C::NAME)
    }

    /// Also follows item changes of the collection named `name` (for collections known only at
    /// run time; prefer [`collection`](Self::collection)).
    pub fn collection_named(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        if !self.collections.contains(&name) {
            self.collections.push(name);
        }
        self
    }

    /// Also follows changes of item `id` (in any collection).
    pub fn item(mut self, id: ItemId) -> Self {
        if !self.items.contains(&id) {
            self.items.push(id);
        }
        self
    }

    /// Also follows changes of every item of `ids`.
    pub fn items(self, ids: impl IntoIterator<Item = ItemId>) -> Self {
        ids.into_iter().fold(self, Self::item)
    }

    /// Whether `event` re-runs a read over vault `vault` that follows this.
    pub fn matches(&self, event: &ChangeEvent, vault: VaultId) -> bool {
        if event.vault() != vault {
            return false;
        }
        match event {
            ChangeEvent::Items(change) => {
                self.whole_vault
                    || self.collections.contains(&change.collection)
                    || change.ids.iter().any(|id| self.items.contains(id))
            }
            // Lock, unlock, rename, delete: whatever was read may be gone or unreadable.
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use localful_core::{ItemAction, ItemsChanged, VaultAction};

    fn change(vault: VaultId, collection: &str, ids: Vec<ItemId>) -> ChangeEvent {
        ChangeEvent::Items(ItemsChanged::synced(vault, collection, ids, ItemAction::Updated))
    }

    #[test]
    fn matches_only_what_it_declares_within_its_vault() {
        let (vault, other_vault) = (VaultId::new(), VaultId::new());
        let (a, b) = (ItemId::new(), ItemId::new());
        let watch = Watch::new().collection_named("notes").item(a);
        assert!(watch.matches(&change(vault, "notes", vec![b]), vault));
        assert!(watch.matches(&change(vault, "tags", vec![b, a]), vault));
        assert!(!watch.matches(&change(vault, "tags", vec![b]), vault));
        assert!(!watch.matches(&change(other_vault, "notes", vec![a]), vault));
        assert!(Watch::new().matches(&ChangeEvent::Vault { vault, action: VaultAction::Locked }, vault));
        assert!(!Watch::new().matches(&change(vault, "notes", vec![a]), vault));
        assert!(!Watch::vault().matches(&ChangeEvent::Vault { vault: other_vault, action: VaultAction::Locked }, vault));
    }

    #[test]
    fn equal_by_value_whatever_the_repeats() {
        let a = ItemId::new();
        assert_eq!(
            Watch::new().item(a).item(a).collection_named("x"),
            Watch::new().items([a]).collection_named("x").collection_named("x")
        );
        assert_ne!(Watch::new(), Watch::vault());
    }
}
