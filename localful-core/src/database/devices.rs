//! Which devices wrote to a vault, read from the version metadata every item row carries: device
//! names are stored in plain text beside each version, so nothing is decrypted.

use super::VaultHandle;
use crate::error::Result;
use crate::model::{Timestamp, VersionMeta};
use std::collections::BTreeMap;

/// One device that wrote versions to a vault, as its versions name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceActivity {
    /// The name the device gave itself when it wrote (devices are known only by name: two
    /// devices with one name count as one).
    pub name: String,
    /// How many versions it wrote, deleted ones included.
    pub versions: usize,
    /// When it wrote its first version.
    pub first_written: Timestamp,
    /// When it wrote its latest version.
    pub last_written: Timestamp,
}

impl VaultHandle {
    /// Every device that wrote a version of this vault's items (in any collection, deleted
    /// versions and items included), the most recently active first.
    ///
    /// ```
    /// # use localful_core::*;
    /// # use localful_core::testing::PlainCipher;
    /// # use serde::{Deserialize, Serialize};
    /// # use std::rc::Rc;
    /// # #[derive(Serialize, Deserialize)] struct Note { title: String }
    /// # impl Collection for Note { const NAME: &'static str = "notes"; }
    /// # futures::executor::block_on(async {
    /// let db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "Laptop");
    /// let created = db.create_vault("Personal", "v1:key").await?;
    /// let vault = db.open_vault(created.id, PlainCipher::shared()).await?;
    /// let id = vault.create(&Note { title: "a".into() }).await?;
    /// vault.update(id, &Note { title: "b".into() }).await?;
    /// let devices = vault.devices().await?;
    /// assert_eq!((devices[0].name.as_str(), devices[0].versions), ("Laptop", 2));
    /// # Ok::<(), Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn devices(&self) -> Result<Vec<DeviceActivity>> {
        let rows = self.database().store().all_items(self.id()).await?;
        Ok(devices_of(rows.iter().flat_map(|row| row.versions.iter())))
    }
}

/// Folds version metadata into one [`DeviceActivity`] per device name, the most recently active
/// first (ties by name).
fn devices_of<'a>(versions: impl IntoIterator<Item = &'a VersionMeta>) -> Vec<DeviceActivity> {
    let mut by_name: BTreeMap<&str, DeviceActivity> = BTreeMap::new();
    for v in versions {
        by_name
            .entry(v.device_name.as_str())
            .and_modify(|d| {
                d.versions += 1;
                d.first_written = d.first_written.min(v.created_at);
                d.last_written = d.last_written.max(v.created_at);
            })
            .or_insert_with(|| DeviceActivity {
                name: v.device_name.clone(),
                versions: 1,
                first_written: v.created_at,
                last_written: v.created_at,
            });
    }
    let mut out: Vec<_> = by_name.into_values().collect();
    out.sort_by(|a, b| b.last_written.cmp(&a.last_written).then_with(|| a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VersionId;

    fn meta(device: &str, ms: i64, deleted: bool) -> VersionMeta {
        let at = Timestamp::from_unix_millis(ms).unwrap();
        VersionMeta {
            id: VersionId::new(),
            created_at: at,
            device_name: device.into(),
            schema_version: 1,
            deleted_at: deleted.then_some(at),
        }
    }

    #[test]
    fn one_row_per_device_newest_activity_first_deleted_versions_counted() {
        let versions = [
            meta("Laptop", 1_000, false),
            meta("Phone", 5_000, false),
            meta("Laptop", 3_000, true),
            meta("Tablet", 5_000, false),
            meta("Laptop", 2_000, false),
        ];
        let devices = devices_of(&versions);
        let summary: Vec<_> = devices
            .iter()
            .map(|d| (d.name.as_str(), d.versions, d.first_written.unix_millis(), d.last_written.unix_millis()))
            .collect();
        assert_eq!(summary, vec![("Phone", 1, 5_000, 5_000), ("Tablet", 1, 5_000, 5_000), ("Laptop", 3, 1_000, 3_000)]);
    }

    #[test]
    fn a_vault_without_versions_has_no_devices() {
        assert!(devices_of(&[]).is_empty());
    }
}
