//! [`Ring`]: *ring* through `ring-compat` — assembly AES-NI/CLMUL and SHA natively (the default
//! there); C compiled to wasm in the browser (only with the `crypto-bench` feature: needs clang).
#![allow(deprecated)] // ring-compat 0.8 speaks generic-array 0.14, which upstream marks deprecated

use std::num::NonZeroU32;

use futures::future::{FutureExt as _, LocalBoxFuture, ready};
use ring_compat::aead::{Aead as _, Aes256Gcm, KeyInit as _};
use ring_compat::generic_array::GenericArray;
use ring_compat::ring::pbkdf2;
use zeroize::Zeroizing;

use crate::crypto::backend::{Backend, KEY_LEN};
use crate::crypto::cipher::CryptoError;
use crate::crypto::envelope::IV_LEN;

/// *ring* (via `ring-compat`, the RustCrypto traits over *ring*).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ring;

/// An AES-256-GCM key schedule of *ring*.
pub struct RingKey(Aes256Gcm);

impl std::fmt::Debug for RingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RingKey(..)")
    }
}

impl Backend for Ring {
    type Key = RingKey;

    fn name(&self) -> &'static str {
        "ring-compat"
    }

    fn pbkdf2_sha256<'a>(
        &'a self,
        password: &'a [u8],
        salt: &'a [u8],
        iterations: u32,
        out_len: usize,
    ) -> LocalBoxFuture<'a, Result<Zeroizing<Vec<u8>>, CryptoError>> {
        let result = NonZeroU32::new(iterations)
            .ok_or_else(|| CryptoError::InvalidMetadata(String::from("zero iterations")))
            .map(|iterations| {
                let mut out = Zeroizing::new(vec![0u8; out_len]);
                pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt, password, &mut out);
                out
            });
        ready(result).boxed_local()
    }

    fn import_key<'a>(&'a self, raw: &'a [u8; KEY_LEN]) -> LocalBoxFuture<'a, Result<RingKey, CryptoError>> {
        ready(Ok(RingKey(Aes256Gcm::new(GenericArray::from_slice(raw))))).boxed_local()
    }

    fn seal<'a>(
        &'a self,
        key: &'a RingKey,
        iv: &'a [u8; IV_LEN],
        plaintext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        let result = key
            .0
            .encrypt(GenericArray::from_slice(iv), plaintext)
            .map_err(|_| CryptoError::Backend(String::from("ring: encryption failed")));
        ready(result).boxed_local()
    }

    fn open<'a>(
        &'a self,
        key: &'a RingKey,
        iv: &'a [u8; IV_LEN],
        ciphertext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        let result = key.0.decrypt(GenericArray::from_slice(iv), ciphertext).map_err(|_| CryptoError::Tampered);
        ready(result).boxed_local()
    }
}
