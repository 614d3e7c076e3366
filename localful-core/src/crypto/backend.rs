//! The primitives every crypto implementation provides: PBKDF2-HMAC-SHA256 and AES-256-GCM.
//!
//! Everything above this trait (envelopes, key wrapping, [`VaultKey`](super::VaultKey)) is written
//! once; the implementations differ only in who computes. They are byte-compatible: the same inputs
//! give the same bytes (tested against published vectors and against each other).

use futures::future::{FutureExt as _, LocalBoxFuture};
use zeroize::Zeroizing;

use super::cipher::CryptoError;
use super::envelope::IV_LEN;

/// Length of an AES-256 key in bytes.
pub const KEY_LEN: usize = 32;
/// Length of the random PBKDF2 salt of a wrapped key in bytes.
pub const SALT_LEN: usize = 16;

/// Raw AES-256 key bytes, wiped from memory when dropped.
pub type RawKey = Zeroizing<[u8; KEY_LEN]>;

/// One implementation of the primitives (ring, RustCrypto, WebCrypto).
///
/// Async because WebCrypto is; the Rust implementations complete on first poll.
pub trait Backend {
    /// A key prepared for AES-256-GCM with this backend (a key schedule, a `CryptoKey`).
    type Key;

    /// A short name for tables and messages.
    fn name(&self) -> &'static str;

    /// PBKDF2-HMAC-SHA256 of `password` and `salt`, `out_len` bytes.
    fn pbkdf2_sha256<'a>(
        &'a self,
        password: &'a [u8],
        salt: &'a [u8],
        iterations: u32,
        out_len: usize,
    ) -> LocalBoxFuture<'a, Result<Zeroizing<Vec<u8>>, CryptoError>>;

    /// Prepares raw key bytes for [`Backend::seal`] and [`Backend::open`].
    fn import_key<'a>(&'a self, raw: &'a [u8; KEY_LEN]) -> LocalBoxFuture<'a, Result<Self::Key, CryptoError>>;

    /// AES-256-GCM encryption without associated data: ciphertext‖tag.
    fn seal<'a>(
        &'a self,
        key: &'a Self::Key,
        iv: &'a [u8; IV_LEN],
        plaintext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>>;

    /// AES-256-GCM decryption of ciphertext‖tag; [`CryptoError::Tampered`] when it does not
    /// authenticate.
    fn open<'a>(
        &'a self,
        key: &'a Self::Key,
        iv: &'a [u8; IV_LEN],
        ciphertext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>>;

    /// [`Backend::open`] of several messages `(iv, ciphertext‖tag)`, each result in its place.
    /// The default opens them one after the other; a backend whose platform decrypts in parallel
    /// (WebCrypto's threads) issues them together.
    fn open_many<'a>(&'a self, key: &'a Self::Key, messages: &'a [Sealed<'a>]) -> LocalBoxFuture<'a, Vec<Result<Vec<u8>, CryptoError>>> {
        open_one_by_one(self, key, messages).boxed_local()
    }
}

/// [`Backend::open`] of each message, one after the other.
pub(crate) async fn open_one_by_one<B: Backend + ?Sized>(
    backend: &B,
    key: &B::Key,
    messages: &[Sealed<'_>],
) -> Vec<Result<Vec<u8>, CryptoError>> {
    let mut out = Vec::with_capacity(messages.len());
    for (iv, ciphertext) in messages {
        out.push(backend.open(key, iv, ciphertext).await);
    }
    out
}

/// One message for [`Backend::open_many`]: its IV and its ciphertext‖tag.
pub type Sealed<'a> = (&'a [u8; IV_LEN], &'a [u8]);

/// Fills an array with bytes from the platform's CSPRNG (`getrandom`; `crypto.getRandomValues` in
/// the browser).
pub fn random_array<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| CryptoError::Backend(format!("random: {error}")))?;
    Ok(bytes)
}

/// A fresh random AES-256 key.
pub fn random_key() -> Result<RawKey, CryptoError> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::fill(key.as_mut_slice()).map_err(|error| CryptoError::Backend(format!("random: {error}")))?;
    Ok(key)
}
