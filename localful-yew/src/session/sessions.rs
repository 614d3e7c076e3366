//! The registry of unlocked vaults of one provider.

use super::{handoff::Handoff, OpenVault};
use crate::clock::Clock;
use localful_core::crypto::{self, VaultKey};
use localful_core::{Database, Error, Event, VaultAction, VaultId};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

struct Unlocked {
    vault: OpenVault,
    key: VaultKey,
}

struct Inner {
    database: Database,
    unlocked: RefCell<HashMap<VaultId, Unlocked>>,
    generation: Cell<u64>,
    handoff: Handoff,
}

/// The vaults unlocked in this context. Keys live only in memory; [`VaultSessions::lock`] wipes a
/// key in this context and, in the browser, in every other tab and the worker.
#[derive(Clone)]
pub struct VaultSessions {
    inner: Rc<Inner>,
}

impl std::fmt::Debug for VaultSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unlocked: Vec<VaultId> = self.inner.unlocked.borrow().keys().copied().collect();
        f.debug_struct("VaultSessions").field("unlocked", &unlocked).finish()
    }
}

impl VaultSessions {
    pub(crate) fn new(database: Database, app_name: &str, clock: Rc<dyn Clock>) -> Self {
        let inner = Rc::new_cyclic(|weak: &Weak<Inner>| {
            let weak = weak.clone();
            // Another context locked a vault: forget it here too.
            let handoff = Handoff::open(app_name, clock, move |vault| {
                if let (Some(inner), Ok(id)) = (weak.upgrade(), vault.parse::<VaultId>()) {
                    VaultSessions { inner }.forget(id);
                }
            });
            Inner { database, unlocked: RefCell::default(), generation: Cell::new(0), handoff }
        });
        Self { inner }
    }

    /// The vault `id`, if it is unlocked in this context.
    pub fn get(&self, id: VaultId) -> Option<OpenVault> {
        let unlocked = self.inner.unlocked.borrow();
        unlocked.get(&id).filter(|u| !u.key.is_locked()).map(|u| u.vault.clone())
    }

    /// Unlocks vault `id` with `password`. A wrong password is [`crypto::CryptoError::WrongPassword`]
    /// and changes nothing.
    pub async fn unlock(&self, id: VaultId, password: &str) -> Result<OpenVault, Error> {
        let vault = self.inner.database.vault(id).await?;
        let key = crypto::unlock(&vault.protected_encryption_key, password).await?;
        self.open_with(id, key).await
    }

    /// Unlocks vault `id` without a password if another tab or the worker has it unlocked.
    pub async fn resume(&self, id: VaultId) -> Result<Option<OpenVault>, Error> {
        if let Some(open) = self.get(id) {
            return Ok(Some(open));
        }
        match self.inner.handoff.request(&id.to_string()).await {
            Some(key) => self.open_with(id, key).await.map(Some),
            None => Ok(None),
        }
    }

    /// Creates a vault named `name` protected by `password` and unlocks it.
    pub async fn create_vault(&self, name: &str, password: &str) -> Result<OpenVault, Error> {
        let (key, protected) = crypto::create_protected_key(password).await?;
        let vault = self.inner.database.create_vault(name, &protected).await?;
        self.open_with(vault.id, key).await
    }

    /// Locks vault `id`: its key is wiped here and in every other context, and handles to it fail
    /// with [`crypto::CryptoError::Locked`] from now on.
    pub fn lock(&self, id: VaultId) {
        self.inner.handoff.lock(&id.to_string());
        self.forget(id);
    }

    fn forget(&self, id: VaultId) {
        let removed = self.inner.unlocked.borrow_mut().remove(&id);
        if let Some(unlocked) = removed {
            unlocked.key.lock();
            self.inner.database.events().emit(&Event::Vault { vault: id, action: VaultAction::Locked });
        }
    }

    async fn open_with(&self, id: VaultId, key: VaultKey) -> Result<OpenVault, Error> {
        let handle = self.inner.database.open_vault(id, Rc::new(key.clone())).await?;
        let generation = self.inner.generation.get() + 1;
        self.inner.generation.set(generation);
        let vault = OpenVault { handle, generation };
        self.inner.handoff.share(&id.to_string(), key.clone());
        self.inner.unlocked.borrow_mut().insert(id, Unlocked { vault: vault.clone(), key });
        self.inner.database.events().emit(&Event::Vault { vault: id, action: VaultAction::Unlocked });
        Ok(vault)
    }
}
