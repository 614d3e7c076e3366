//! The interface the store encrypts and decrypts through.

use futures::future::{FutureExt as _, LocalBoxFuture};

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
    /// The envelope is not three `:`-separated, non-empty parts `<version>:<metadata>:<ciphertext>`.
    #[error("malformed envelope: {0}")]
    MalformedEnvelope(String),
    /// A part of the envelope is not standard padded base64 (RFC 4648 §4).
    #[error("invalid base64 in the envelope's {0}")]
    InvalidBase64(EnvelopePart),
    /// The metadata is not a JSON object with the fields the spec requires (or a field is invalid,
    /// e.g. an IV that is not 12 bytes).
    #[error("invalid envelope metadata: {0}")]
    InvalidMetadata(String),
    /// The ciphertext is shorter than the 16-byte authentication tag.
    #[error("the ciphertext is truncated (shorter than its authentication tag)")]
    Truncated,
    /// The envelope names a spec version this build does not know.
    #[error("unknown encryption spec version {0:?}")]
    UnknownVersion(String),
    /// The vault is locked: no key in memory.
    #[error("the vault is locked")]
    Locked,
    /// A key handed over (by another tab, the worker, or this device's remembered key) is not the
    /// vault's key: it does not open the vault's [`KeyCheck`](super::KeyCheck).
    #[error("the key offered for this vault is not its key")]
    WrongKey,
    /// A password key would be wrapped with fewer PBKDF2 iterations than
    /// [`MIN_ITERATIONS`](super::MIN_ITERATIONS).
    #[error("too few PBKDF2 iterations: {0} (at least {min})", min = super::MIN_ITERATIONS)]
    TooFewIterations(u32),
    /// The platform's crypto failed (e.g. WebCrypto unavailable).
    #[error("crypto backend failed: {0}")]
    Backend(String),
}

/// The parts of an envelope, to say where a decoding error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvelopePart {
    /// The base64 metadata JSON between the first and second `:`.
    Metadata,
    /// The base64 ciphertext‖tag after the second `:`.
    Ciphertext,
    /// The `iv` field inside the metadata.
    Iv,
    /// The `salt` field inside the metadata.
    Salt,
}

impl std::fmt::Display for EnvelopePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Metadata => "metadata",
            Self::Ciphertext => "ciphertext",
            Self::Iv => "iv",
            Self::Salt => "salt",
        })
    }
}

/// Encrypts plaintext into a spec-v1 envelope string and back, with one key.
///
/// Async because WebCrypto is; futures are `!Send` because the browser is single-threaded.
pub trait Cipher {
    /// Encrypts `plaintext` into a `v1:<metadata>:<ciphertext>` envelope with a fresh random IV.
    fn encrypt<'a>(&'a self, plaintext: &'a [u8]) -> LocalBoxFuture<'a, Result<String, CryptoError>>;
    /// Decrypts an envelope made by [`Cipher::encrypt`] with the same key.
    fn decrypt<'a>(&'a self, envelope: &'a str) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>>;
    /// [`Cipher::decrypt`] of several envelopes, each result in its place. The default decrypts
    /// them one after the other; [`VaultKey`](super::VaultKey) in the browser decrypts a batch in
    /// parallel through WebCrypto.
    fn decrypt_many<'a>(&'a self, envelopes: &'a [&'a str]) -> LocalBoxFuture<'a, Vec<Result<Vec<u8>, CryptoError>>> {
        async move {
            let mut out = Vec::with_capacity(envelopes.len());
            for envelope in envelopes {
                out.push(self.decrypt(envelope).await);
            }
            out
        }
        .boxed_local()
    }
    /// Whether the key was wiped (every call then fails with [`CryptoError::Locked`]): values
    /// decrypted with it before must not be served any more. A key that cannot be locked says no.
    fn is_locked(&self) -> bool {
        false
    }
}
