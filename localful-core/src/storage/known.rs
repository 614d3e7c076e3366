//! The vaults this device holds, remembered outside IndexedDB, to notice when the browser cleared
//! the database (pure: the app keeps the JSON where eviction does not reach it, e.g. localStorage).

use crate::model::{VaultMeta, VaultId};
use serde::{Deserialize, Serialize};

/// One vault as remembered: enough to tell the user what was cleared and whether a server has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KnownVault {
    /// The vault's id.
    pub id: VaultId,
    /// Its name.
    pub name: String,
    /// Whether it was synced with a server (which still holds it).
    pub synced: bool,
}

/// The live vaults of this device's registry, as remembered between starts.
///
/// Chromium evicts an origin's IndexedDB (and Cache Storage) under storage pressure but not its
/// `localStorage`, so a list kept there outlives the databases: a vault it names that the registry
/// no longer has at all (not even as a deletion tombstone) was cleared by the browser, not by the
/// user. (Safari's 7-day rule clears `localStorage` too: then nothing is remembered and nothing
/// is reported.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownVaults {
    /// The vaults.
    pub vaults: Vec<KnownVault>,
}

impl KnownVaults {
    /// The `localStorage` key of app `app`'s list.
    pub fn storage_key(app: &str) -> String {
        format!("localful:{app}:known-vaults")
    }

    /// The live vaults of `registry` (every vault the store lists, tombstones included).
    pub fn of(registry: &[VaultMeta]) -> Self {
        let vaults = registry
            .iter()
            .filter(|v| v.deleted_at.is_none())
            .map(|v| KnownVault {
                id: v.id,
                name: v.name.clone(),
                synced: v.sync_enabled,
            })
            .collect();
        Self { vaults }
    }

    /// The list stored as `json`; `None` if it does not parse (then nothing is known).
    pub fn parse(json: &str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }

    /// The list as JSON, to store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The vaults remembered here that `registry` (tombstones included) does not have at all:
    /// what the browser cleared.
    pub fn missing(&self, registry: &[VaultMeta]) -> Vec<KnownVault> {
        self.vaults
            .iter()
            .filter(|k| !registry.iter().any(|v| v.id == k.id))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::Timestamp;

    fn vault(name: &str, synced: bool, deleted: bool) -> VaultMeta {
        let at = Timestamp::from_unix_millis(1_000).unwrap();
        VaultMeta {
            id: VaultId::new(),
            name: name.into(),
            protected_encryption_key: "v1:k".into(),
            created_at: at,
            updated_at: at,
            deleted_at: deleted.then_some(at),
            sync_enabled: synced,
        }
    }

    #[test]
    fn a_vault_gone_from_the_registry_was_cleared_but_a_deleted_one_was_not() {
        let (kept, synced, deleted) = (
            vault("Kept", false, false),
            vault("Synced", true, false),
            vault("Old", false, false),
        );
        let known = KnownVaults::of(&[kept.clone(), synced.clone(), deleted.clone()]);
        let known = KnownVaults::parse(&known.to_json()).unwrap();
        assert!(
            known
                .missing(&[kept.clone(), synced.clone(), deleted.clone()])
                .is_empty()
        );
        // The user deleted "Old" (a tombstone stays); the browser cleared everything else.
        let tombstone = VaultMeta {
            deleted_at: Some(kept.created_at),
            ..deleted
        };
        assert!(
            known
                .missing(&[kept.clone(), synced.clone(), tombstone.clone()])
                .is_empty()
        );
        assert_eq!(
            known
                .missing(&[])
                .iter()
                .map(|k| (k.name.as_str(), k.synced))
                .collect::<Vec<_>>(),
            [("Kept", false), ("Synced", true), ("Old", false)]
        );
        assert_eq!(
            KnownVaults::of(&[tombstone]).vaults,
            [],
            "a deleted vault is not remembered"
        );
        assert_eq!(KnownVaults::parse("not json"), None);
    }
}
