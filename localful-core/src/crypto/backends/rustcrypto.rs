//! [`RustCrypto`]: the pure-Rust `aes-gcm`, `pbkdf2` and `sha2` crates — no C, no JavaScript; the
//! browser's fallback where `crypto.subtle` is missing (pages served over plain http).

use aes_gcm::aead::Aead as _;
use aes_gcm::{Aes256Gcm, KeyInit as _, Nonce};
use futures::future::{FutureExt as _, LocalBoxFuture, ready};
use zeroize::Zeroizing;

use crate::crypto::backend::{Backend, KEY_LEN};
use crate::crypto::cipher::CryptoError;
use crate::crypto::envelope::IV_LEN;

/// The RustCrypto crates (`aes-gcm` 0.11, `pbkdf2` 0.13, `sha2` 0.11).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RustCrypto;

/// An AES-256-GCM key schedule of the `aes-gcm` crate.
pub struct RustCryptoKey(Aes256Gcm);

impl std::fmt::Debug for RustCryptoKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RustCryptoKey(..)")
    }
}

impl Backend for RustCrypto {
    type Key = RustCryptoKey;

    fn name(&self) -> &'static str {
        "RustCrypto"
    }

    fn pbkdf2_sha256<'a>(
        &'a self,
        password: &'a [u8],
        salt: &'a [u8],
        iterations: u32,
        out_len: usize,
    ) -> LocalBoxFuture<'a, Result<Zeroizing<Vec<u8>>, CryptoError>> {
        let result = if iterations == 0 {
            Err(CryptoError::InvalidMetadata(String::from("zero iterations")))
        } else {
            let mut out = Zeroizing::new(vec![0u8; out_len]);
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, &mut out);
            Ok(out)
        };
        ready(result).boxed_local()
    }

    fn import_key<'a>(&'a self, raw: &'a [u8; KEY_LEN]) -> LocalBoxFuture<'a, Result<RustCryptoKey, CryptoError>> {
        let result = Aes256Gcm::new_from_slice(raw)
            .map(RustCryptoKey)
            .map_err(|_| CryptoError::Backend(String::from("aes-gcm: bad key length")));
        ready(result).boxed_local()
    }

    fn seal<'a>(
        &'a self,
        key: &'a RustCryptoKey,
        iv: &'a [u8; IV_LEN],
        plaintext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        let result = key
            .0
            .encrypt(&Nonce::from(*iv), plaintext)
            .map_err(|_| CryptoError::Backend(String::from("aes-gcm: encryption failed")));
        ready(result).boxed_local()
    }

    fn open<'a>(
        &'a self,
        key: &'a RustCryptoKey,
        iv: &'a [u8; IV_LEN],
        ciphertext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        let result = key.0.decrypt(&Nonce::from(*iv), ciphertext).map_err(|_| CryptoError::Tampered);
        ready(result).boxed_local()
    }
}
