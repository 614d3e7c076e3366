//! [`Native`]: the default off the browser — each primitive from the crate measured fastest for it
//! on x86_64 (see the table in [`crypto`](crate::crypto)).

use futures::future::LocalBoxFuture;
use zeroize::Zeroizing;

use super::ring::{Ring, RingKey};
use super::rustcrypto::RustCrypto;
use crate::crypto::backend::{Backend, KEY_LEN};
use crate::crypto::cipher::CryptoError;
use crate::crypto::envelope::IV_LEN;

/// PBKDF2 from RustCrypto (`sha2` uses the SHA extensions: about twice as fast as *ring* here);
/// AES-256-GCM from *ring* via `ring-compat` (AES-NI/CLMUL assembly: 2–3× RustCrypto at 64 KiB).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Native;

impl Backend for Native {
    type Key = RingKey;

    fn name(&self) -> &'static str {
        "Native (RustCrypto PBKDF2 + ring AES-GCM)"
    }

    fn pbkdf2_sha256<'a>(
        &'a self,
        password: &'a [u8],
        salt: &'a [u8],
        iterations: u32,
        out_len: usize,
    ) -> LocalBoxFuture<'a, Result<Zeroizing<Vec<u8>>, CryptoError>> {
        RustCrypto.pbkdf2_sha256(password, salt, iterations, out_len)
    }

    fn import_key<'a>(&'a self, raw: &'a [u8; KEY_LEN]) -> LocalBoxFuture<'a, Result<RingKey, CryptoError>> {
        Ring.import_key(raw)
    }

    fn seal<'a>(
        &'a self,
        key: &'a RingKey,
        iv: &'a [u8; IV_LEN],
        plaintext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        Ring.seal(key, iv, plaintext)
    }

    fn open<'a>(
        &'a self,
        key: &'a RingKey,
        iv: &'a [u8; IV_LEN],
        ciphertext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        Ring.open(key, iv, ciphertext)
    }
}
