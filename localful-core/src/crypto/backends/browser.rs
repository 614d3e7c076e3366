//! [`Browser`]: the browser's default — each operation on whichever of WebCrypto and RustCrypto
//! measured fastest for it (see the table in [`crypto`](crate::crypto)).

use std::cell::OnceCell;

use futures::future::{FutureExt as _, LocalBoxFuture};
use web_sys::CryptoKey;
use zeroize::Zeroizing;

use super::rustcrypto::{RustCrypto, RustCryptoKey};
use super::webcrypto::WebCrypto;
use crate::crypto::backend::{Backend, KEY_LEN, Sealed, open_one_by_one};
use crate::crypto::cipher::CryptoError;
use crate::crypto::envelope::{IV_LEN, TAG_LEN};

/// Messages shorter than this go through RustCrypto in wasm (no promise round trip: about twice as
/// fast at 1 KiB); longer ones through WebCrypto (native AES-NI: 5–15 times as fast at 64 KiB+).
pub const SMALL_MESSAGE: usize = 4 * 1024;

/// Batches of at least this many messages are decrypted through WebCrypto whatever their size:
/// issued together they run on the browser's threads in parallel, where RustCrypto takes one after
/// the other on this one.
pub const PARALLEL_BATCH: usize = 8;

/// PBKDF2 on WebCrypto; AES-GCM on RustCrypto below [`SMALL_MESSAGE`] bytes and on WebCrypto
/// above; everything on RustCrypto where `crypto.subtle` is missing (plain-http pages).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Browser;

/// A key ready for both paths.
pub struct BrowserKey {
    small: RustCryptoKey,
    large: Option<CryptoKey>,
}

impl std::fmt::Debug for BrowserKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BrowserKey(..)")
    }
}

thread_local! {
    static SUBTLE: OnceCell<bool> = const { OnceCell::new() };
}

fn has_subtle() -> bool {
    SUBTLE.with(|cell| *cell.get_or_init(WebCrypto::is_available))
}

async fn import(raw: &[u8; KEY_LEN]) -> Result<BrowserKey, CryptoError> {
    let small = RustCrypto.import_key(raw).await?;
    let large = if has_subtle() { Some(WebCrypto.import_key(raw).await?) } else { None };
    Ok(BrowserKey { small, large })
}

impl Backend for Browser {
    type Key = BrowserKey;

    fn name(&self) -> &'static str {
        "Browser (WebCrypto + RustCrypto < 4 KiB)"
    }

    fn pbkdf2_sha256<'a>(
        &'a self,
        password: &'a [u8],
        salt: &'a [u8],
        iterations: u32,
        out_len: usize,
    ) -> LocalBoxFuture<'a, Result<Zeroizing<Vec<u8>>, CryptoError>> {
        if has_subtle() {
            WebCrypto.pbkdf2_sha256(password, salt, iterations, out_len)
        } else {
            RustCrypto.pbkdf2_sha256(password, salt, iterations, out_len)
        }
    }

    fn import_key<'a>(&'a self, raw: &'a [u8; KEY_LEN]) -> LocalBoxFuture<'a, Result<BrowserKey, CryptoError>> {
        import(raw).boxed_local()
    }

    fn seal<'a>(
        &'a self,
        key: &'a BrowserKey,
        iv: &'a [u8; IV_LEN],
        plaintext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        match &key.large {
            Some(large) if plaintext.len() >= SMALL_MESSAGE => WebCrypto.seal(large, iv, plaintext),
            _ => RustCrypto.seal(&key.small, iv, plaintext),
        }
    }

    fn open<'a>(
        &'a self,
        key: &'a BrowserKey,
        iv: &'a [u8; IV_LEN],
        ciphertext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        match &key.large {
            Some(large) if ciphertext.len() >= SMALL_MESSAGE + TAG_LEN => WebCrypto.open(large, iv, ciphertext),
            _ => RustCrypto.open(&key.small, iv, ciphertext),
        }
    }

    fn open_many<'a>(
        &'a self,
        key: &'a BrowserKey,
        messages: &'a [Sealed<'a>],
    ) -> LocalBoxFuture<'a, Vec<Result<Vec<u8>, CryptoError>>> {
        match &key.large {
            // Issued together, WebCrypto decrypts on its own threads while this one goes on.
            Some(large) if messages.len() >= PARALLEL_BATCH => {
                WebCrypto.open_many(large, messages)
            }
            _ => open_one_by_one(self, key, messages).boxed_local(),
        }
    }
}
