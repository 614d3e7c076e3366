//! [`KeyCheck`]: proof that a key is a vault's key, checked without the password.
//!
//! A key handed over by another tab or the worker, or recalled from this device, could be wrong
//! (a buggy or hostile peer of the same origin, a stale record): data written with it would be
//! unreadable everywhere else. A key check is an envelope of a fixed label sealed with the vault's
//! key when the key is known good (right after a password unlock or the vault's creation: the
//! password's envelope authenticated it). Any later key of that vault must open it.
//!
//! The check reveals nothing about the key beyond what any other envelope of the vault does: it
//! is one more AES-GCM message under that key, of a public plaintext.

use super::cipher::{Cipher, CryptoError};

/// The plaintext every key check seals.
const LABEL: &[u8] = b"localful key check v1";

/// A vault's key check: an envelope of a fixed label, sealed with the vault's key.
///
/// # Example
/// ```
/// # futures::executor::block_on(async {
/// use localful_core::crypto::{CryptoError, KeyCheck, VaultKey};
///
/// let key = VaultKey::generate().await?;
/// let check = KeyCheck::of(&key).await?;
/// check.verify(&key).await?;
/// let other = VaultKey::generate().await?;
/// assert_eq!(check.verify(&other).await, Err(CryptoError::WrongKey));
/// # Ok::<(), CryptoError>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCheck(String);

impl KeyCheck {
    /// Seals a new check with `key` (a key known to be the vault's).
    pub async fn of(key: &dyn Cipher) -> Result<Self, CryptoError> {
        Ok(Self(key.encrypt(LABEL).await?))
    }

    /// A check as it was stored ([`KeyCheck::as_str`]).
    pub fn from_stored(envelope: impl Into<String>) -> Self {
        Self(envelope.into())
    }

    /// The envelope, to store.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `Ok` when `key` is the key this check was sealed with; [`CryptoError::WrongKey`] when it is
    /// another key; [`CryptoError::Locked`] when `key` is locked.
    pub async fn verify(&self, key: &dyn Cipher) -> Result<(), CryptoError> {
        match key.decrypt(&self.0).await {
            Ok(plain) if plain == LABEL => Ok(()),
            Ok(_) | Err(CryptoError::Tampered) => Err(CryptoError::WrongKey),
            Err(error) => Err(error),
        }
    }
}
