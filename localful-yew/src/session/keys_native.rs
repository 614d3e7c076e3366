//! Natively there are no other tabs and no device key store: keys live in this process only.

use crate::clock::Clock;
use localful_core::crypto::{CryptoError, VaultKey};
use std::rc::Rc;

pub(super) struct Keys;

impl Keys {
    pub(super) fn open(_app_name: &str, _clock: Rc<dyn Clock>, _on_remote_lock: impl FnMut(&str) + 'static) -> Self {
        Self
    }
    pub(super) async fn unlocked(&self, _vault: &str, _key: &VaultKey) -> Result<(), CryptoError> {
        Ok(())
    }
    pub(super) async fn request(&self, _vault: &str) -> Option<VaultKey> {
        None
    }
    pub(super) async fn recall(&self, _vault: &str) -> Result<Option<VaultKey>, CryptoError> {
        Ok(None)
    }
    pub(super) async fn remember(&self, _vault: &str, _key: &VaultKey) -> Result<(), CryptoError> {
        Err(CryptoError::Backend(String::from("keeping a key on this device needs a browser (IndexedDB and WebCrypto)")))
    }
    pub(super) async fn is_remembered(&self, _vault: &str) -> Result<bool, CryptoError> {
        Ok(false)
    }
    pub(super) fn lock(&self, _vault: &str) {}
    pub(super) async fn forget_kept(&self, _vault: &str) -> Result<(), CryptoError> {
        Ok(())
    }
}
