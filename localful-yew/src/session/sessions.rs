//! The registry of unlocked vaults of one provider.

use super::{keys::Keys, OpenVault};
use crate::clock::Clock;
use localful_core::crypto::{self, VaultKey};
use localful_core::{Database, Error, ChangeEvent, VaultAction, VaultId};
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
    keys: Keys,
}

/// The vaults unlocked in this context. Keys live in memory, and on this device only for a vault
/// the user chose to keep unlocked ([`VaultSessions::remember`]); [`VaultSessions::lock`] wipes a
/// key in this context and, in the browser, in every other tab and the worker, and forgets the
/// key kept on this device.
///
/// A key another tab hands over, or one kept on this device, is used only if it opens the vault's
/// key check (recorded when this browser first unlocked the vault with its password), and never
/// after a lock seen since its unlock: see `localful_core::crypto::handoff`.
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
            let keys = Keys::open(app_name, clock, move |vault| {
                if let (Some(inner), Ok(id)) = (weak.upgrade(), vault.parse::<VaultId>()) {
                    VaultSessions { inner }.forget(id);
                }
            });
            Inner { database, unlocked: RefCell::default(), generation: Cell::new(0), keys }
        });
        Self { inner }
    }

    /// The database the vaults are in.
    pub(super) fn database(&self) -> &Database {
        &self.inner.database
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
        self.inner.keys.unlocked(&id.to_string(), &key).await?;
        self.open_with(id, key).await
    }

    /// Unlocks vault `id` with `password` and keeps it unlocked on this device
    /// ([`remember`](Self::remember)).
    pub async fn unlock_and_remember(&self, id: VaultId, password: &str) -> Result<OpenVault, Error> {
        let open = self.unlock(id, password).await?;
        self.remember(id).await?;
        Ok(open)
    }

    /// Unlocks vault `id` without a password if another tab or the worker has it unlocked, or if
    /// it is kept unlocked on this device ([`remember`](Self::remember)); `None` otherwise.
    pub async fn resume(&self, id: VaultId) -> Result<Option<OpenVault>, Error> {
        if let Some(open) = self.get(id) {
            return Ok(Some(open));
        }
        let vault = id.to_string();
        if let Some(key) = self.inner.keys.request(&vault).await {
            return self.open_with(id, key).await.map(Some);
        }
        match self.inner.keys.recall(&vault).await? {
            Some(key) => self.open_with(id, key).await.map(Some),
            None => Ok(None),
        }
    }

    /// Creates a vault named `name` protected by `password` and unlocks it.
    pub async fn create_vault(&self, name: &str, password: &str) -> Result<OpenVault, Error> {
        let (key, protected) = crypto::create_protected_key(password).await?;
        let vault = self.inner.database.create_vault(name, &protected).await?;
        self.inner.keys.unlocked(&vault.id.to_string(), &key).await?;
        self.open_with(vault.id, key).await
    }

    /// Keeps vault `id` unlocked on this device: a reload opens it without the password until it
    /// is locked. The key is kept wrapped by a key no script can export (see
    /// `localful_core::crypto::local_keys` for what that protects and what not). The vault must be
    /// unlocked here ([`crypto::CryptoError::Locked`] otherwise).
    pub async fn remember(&self, id: VaultId) -> Result<(), Error> {
        let key = self.unlocked_key(id).ok_or(crypto::CryptoError::Locked)?;
        self.inner.keys.remember(&id.to_string(), &key).await?;
        Ok(())
    }

    /// Whether vault `id` is kept unlocked on this device.
    pub async fn is_remembered(&self, id: VaultId) -> Result<bool, Error> {
        Ok(self.inner.keys.is_remembered(&id.to_string()).await?)
    }

    /// Locks vault `id`: its key is wiped here and in every other context at once, and handles to
    /// it fail with [`crypto::CryptoError::Locked`] from now on; this device forgets its kept key
    /// in the background (see [`lock_and_forget`](Self::lock_and_forget) to wait for that).
    pub fn lock(&self, id: VaultId) {
        let forgetting = self.lock_now(id);
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = forgetting.await {
                tracing::warn!(%error, vault = %id, "the key kept on this device could not be forgotten; lock again to retry");
            }
        });
    }

    /// [`lock`](Self::lock), resolving once this device forgot the key it kept (if any).
    pub async fn lock_and_forget(&self, id: VaultId) -> Result<(), Error> {
        Ok(self.lock_now(id).await?)
    }

    /// Wipes the key everywhere now; the future forgets the kept key.
    fn lock_now(&self, id: VaultId) -> impl Future<Output = Result<(), crypto::CryptoError>> + 'static {
        let vault = id.to_string();
        self.inner.keys.lock(&vault);
        self.forget(id);
        let inner = Rc::clone(&self.inner);
        async move { inner.keys.forget_kept(&vault).await }
    }

    fn unlocked_key(&self, id: VaultId) -> Option<VaultKey> {
        let unlocked = self.inner.unlocked.borrow();
        unlocked.get(&id).filter(|u| !u.key.is_locked()).map(|u| u.key.clone())
    }

    fn forget(&self, id: VaultId) {
        let removed = self.inner.unlocked.borrow_mut().remove(&id);
        if let Some(unlocked) = removed {
            unlocked.key.lock();
            unlocked.vault.handle.forget_decrypted();
            self.inner.database.events().emit(&ChangeEvent::Vault { vault: id, action: VaultAction::Locked });
        }
    }

    async fn open_with(&self, id: VaultId, key: VaultKey) -> Result<OpenVault, Error> {
        let handle = self.inner.database.open_vault(id, Rc::new(key.clone())).await?;
        // A lock that came while the vault opened wins.
        if key.is_locked() {
            return Err(crypto::CryptoError::Locked.into());
        }
        let generation = self.inner.generation.get() + 1;
        self.inner.generation.set(generation);
        let vault = OpenVault { handle, generation };
        self.inner.unlocked.borrow_mut().insert(id, Unlocked { vault: vault.clone(), key });
        self.inner.database.events().emit(&ChangeEvent::Vault { vault: id, action: VaultAction::Unlocked });
        Ok(vault)
    }
}
