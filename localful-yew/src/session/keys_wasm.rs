//! In the browser, keys of unlocked vaults pass between tabs (and the worker) over
//! [`KeyHandoff`], each checked against the vault's [`KeyCheck`](localful_core::crypto::KeyCheck)
//! kept in [`LocalKeys`]; locking in one context locks everywhere; a vault the user chose to keep
//! unlocked on this device is recalled from [`LocalKeys`].

use crate::clock::{self, Clock};
use localful_core::crypto::{handoff::KeyHandoff, local_keys::LocalKeys, CryptoError, VaultKey};
use std::rc::Rc;

/// How long a new tab waits for another context to hand over a key before asking for the password.
const REQUEST_TIMEOUT_MS: u32 = 300;

pub(super) struct Keys {
    handoff: Option<KeyHandoff>,
    local: LocalKeys,
    /// Times a request's wait for an answer.
    clock: Rc<dyn Clock>,
}

impl Keys {
    pub(super) fn open(app_name: &str, clock: Rc<dyn Clock>, on_remote_lock: impl FnMut(&str) + 'static) -> Self {
        let handoff = KeyHandoff::open_named(&localful_core::wire::channels::keys(app_name)).ok();
        if let Some(handoff) = &handoff {
            handoff.on_lock(on_remote_lock);
        }
        Self { handoff, local: LocalKeys::new(app_name), clock }
    }

    /// `key` was just unlocked with the password (or made for a new vault): record its check and
    /// offer it to other contexts.
    pub(super) async fn unlocked(&self, vault: &str, key: &VaultKey) -> Result<(), CryptoError> {
        self.local.record_check(vault, key).await?;
        if let Some(handoff) = &self.handoff {
            handoff.share(vault, key.clone());
        }
        Ok(())
    }

    /// The key another context holds, checked; `None` without a recorded check (never unlocked
    /// with the password in this browser).
    pub(super) async fn request(&self, vault: &str) -> Option<VaultKey> {
        let handoff = self.handoff.as_ref()?;
        let check = self.local.check(vault).await.ok()??;
        handoff.request_until(vault, &check, clock::sleep(&*self.clock, REQUEST_TIMEOUT_MS)).await.ok().flatten()
    }

    /// The key kept on this device, checked, and offered to other contexts. A kept key that does
    /// not unwrap or is not the vault's is forgotten.
    pub(super) async fn recall(&self, vault: &str) -> Result<Option<VaultKey>, CryptoError> {
        let Some(check) = self.local.check(vault).await? else { return Ok(None) };
        let (key, since) = match self.local.recall(vault).await {
            Ok(Some(found)) => found,
            Ok(None) => return Ok(None),
            Err(CryptoError::Tampered) => {
                self.local.forget(vault).await?;
                return Ok(None);
            }
            Err(error) => return Err(error),
        };
        match check.verify(&key).await {
            Ok(()) => {}
            Err(CryptoError::WrongKey) => {
                self.local.forget(vault).await?;
                return Ok(None);
            }
            Err(error) => return Err(error),
        }
        match &self.handoff {
            // A lock seen after the key was kept wins.
            Some(handoff) if !handoff.share_since(vault, key.clone(), since) => Ok(None),
            _ => Ok(Some(key)),
        }
    }

    /// Keeps the key this context holds for `vault` on this device.
    pub(super) async fn remember(&self, vault: &str, key: &VaultKey) -> Result<(), CryptoError> {
        let since = match self.handoff.as_ref().and_then(|h| h.held(vault)) {
            Some((held, since)) if held.same_key_as(key) => since,
            _ => js_sys::Date::now(),
        };
        self.local.remember(vault, key, since).await
    }

    pub(super) async fn is_remembered(&self, vault: &str) -> Result<bool, CryptoError> {
        self.local.is_remembered(vault).await
    }

    /// Locks `vault` in every context at once.
    pub(super) fn lock(&self, vault: &str) {
        if let Some(handoff) = &self.handoff {
            handoff.lock(vault);
        }
    }

    /// Forgets the key kept for `vault` on this device; resolves once that is committed.
    pub(super) async fn forget_kept(&self, vault: &str) -> Result<(), CryptoError> {
        self.local.forget(vault).await
    }
}
