//! The interface the store encrypts and decrypts through.

use futures::future::LocalBoxFuture;

/// Why an encryption or decryption failed. Every failure is typed; none loses or overwrites data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The password does not unlock the key (authentication of the wrapped key failed).
    #[error("wrong password")]
    WrongPassword,
    /// The ciphertext or its tag does not authenticate: tampered, truncated or another key's data.
    #[error("the data failed authentication (tampered, truncated or encrypted with another key)")]
    Tampered,
    /// The envelope is not `v1:<metadata>:<ciphertext>` or its parts do not decode.
    #[error("malformed envelope: {0}")]
    MalformedEnvelope(String),
    /// The envelope names a spec version this build does not know.
    #[error("unknown encryption spec version {0:?}")]
    UnknownVersion(String),
    /// The vault is locked: no key in memory.
    #[error("the vault is locked")]
    Locked,
    /// The platform's crypto failed (e.g. WebCrypto unavailable).
    #[error("crypto backend failed: {0}")]
    Backend(String),
}

/// Encrypts plaintext into a spec-v1 envelope string and back, with one key.
///
/// Async because WebCrypto is; futures are `!Send` because the browser is single-threaded.
pub trait Cipher {
    /// Encrypts `plaintext` into a `v1:<metadata>:<ciphertext>` envelope with a fresh random IV.
    fn encrypt<'a>(&'a self, plaintext: &'a [u8]) -> LocalBoxFuture<'a, Result<String, CryptoError>>;
    /// Decrypts an envelope made by [`Cipher::encrypt`] with the same key.
    fn decrypt<'a>(&'a self, envelope: &'a str) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>>;
}
