//! Recomputing exposed fields after a collection's exposed fields changed.

use super::VaultHandle;
use crate::error::{Error, Result};
use crate::store::{StoreError, StoredItem, ops};

impl VaultHandle {
    /// Recomputes the exposed fields (and so the indexes) of every item whose exposed fields were
    /// computed under another definition of its collection's exposed fields, or not at all (a
    /// version applied by a context without this collection). Runs when a vault is opened; costs
    /// one small read per collection when nothing changed. Items that cannot be read now (locked
    /// vault, data from a newer schema) are left for later: queries do not trust their exposed
    /// fields, but an index does not find them until then.
    pub async fn refresh_exposed(&self) -> Result<()> {
        self.refresh(true).await
    }

    /// [`refresh_exposed`](Self::refresh_exposed) for the collections whose exposed fields changed
    /// (or were left stale) since the last refresh: what opening a vault runs.
    pub(super) async fn refresh_changed_exposed(&self) -> Result<()> {
        self.refresh(false).await
    }

    async fn refresh(&self, all: bool) -> Result<()> {
        for def in self.db.schema().collections() {
            // The vault remembers the signature it last refreshed to: nothing to scan when the
            // app's exposed fields did not change.
            let key = format!("exposure:{}", def.name());
            if !all && self.store().get_meta(self.id, &key).await?.as_deref() == Some(def.exposure_signature()) {
                continue;
            }
            let stale = |row: &StoredItem| row.exposed_by != def.exposure_signature();
            let rows = self.store().scan(self.id, def.name(), None, &stale).await?.items;
            let mut complete = true;
            for row in rows {
                let Some(current) = row.item.current_version_id else { continue };
                let data = match self.data_of(def, &row, current).await {
                    Ok(data) => data,
                    Err(Error::Store(e)) if e != StoreError::VersionNotFound(current) => return Err(e.into()),
                    Err(_) => {
                        complete = false;
                        continue;
                    }
                };
                let mutation = ops::refresh_exposed(row.item.id, current, def.exposed(&data));
                match self.store().write_item(self.id, row.item.id, mutation).await {
                    Ok(_) | Err(StoreError::Conflict) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if complete {
                self.store().put_meta(self.id, &key, def.exposure_signature().to_owned()).await?;
            }
        }
        Ok(())
    }
}
