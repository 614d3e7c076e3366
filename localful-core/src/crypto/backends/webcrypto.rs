//! [`WebCrypto`]: the browser's `crypto.subtle` (native code, off the main thread), via `web-sys`.

use futures::future::{FutureExt as _, LocalBoxFuture};
use js_sys::{Array, ArrayBuffer, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};
use zeroize::Zeroizing;

use crate::crypto::backend::{Backend, KEY_LEN, Sealed};
use crate::crypto::cipher::CryptoError;
use crate::crypto::envelope::IV_LEN;

/// WebCrypto (`SubtleCrypto`), in a page or a worker. Needs a secure context (https or localhost).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebCrypto;

impl WebCrypto {
    /// Whether `crypto.subtle` exists in this global scope (it does not on plain-http pages).
    pub fn is_available() -> bool {
        subtle().is_ok()
    }
}

/// Looks up `crypto.subtle` on whatever global this is (window, worker, shared worker).
fn subtle() -> Result<SubtleCrypto, CryptoError> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).unwrap_or(JsValue::UNDEFINED);
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).unwrap_or(JsValue::UNDEFINED);
    if subtle.is_undefined() || subtle.is_null() {
        return Err(CryptoError::Backend(String::from("crypto.subtle is unavailable (not a secure context?)")));
    }
    Ok(subtle.unchecked_into())
}

fn js_error(context: &str, error: &JsValue) -> CryptoError {
    let name = Reflect::get(error, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
    CryptoError::Backend(format!("WebCrypto {context}: {}", name.unwrap_or_else(|| format!("{error:?}"))))
}

async fn call(context: &str, promise: Result<Promise, JsValue>) -> Result<JsValue, CryptoError> {
    let promise = promise.map_err(|error| js_error(context, &error))?;
    JsFuture::from(promise).await.map_err(|error| js_error(context, &error))
}

fn object(fields: &[(&str, &JsValue)]) -> Object {
    let object = Object::new();
    for (name, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object
}

fn usages(names: &[&str]) -> Array {
    names.iter().map(|name| JsValue::from_str(name)).collect()
}

fn aes_gcm_params(iv: &[u8; IV_LEN]) -> Object {
    object(&[("name", &JsValue::from_str("AES-GCM")), ("iv", &Uint8Array::from(&iv[..]).into())])
}

/// Copies an `ArrayBuffer` result into Rust memory.
fn bytes_of(buffer: &JsValue) -> Vec<u8> {
    Uint8Array::new(buffer).to_vec()
}

async fn pbkdf2(password: &[u8], salt: &[u8], iterations: u32, out_len: usize) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let subtle = subtle()?;
    let password = Uint8Array::from(password);
    let imported = subtle.import_key_with_object(
        "raw",
        &password,
        &object(&[("name", &JsValue::from_str("PBKDF2"))]),
        false,
        &usages(&["deriveBits"]),
    );
    // WebCrypto copied the bytes when called: wipe the JS copy of the password now.
    password.fill(0, 0, password.length());
    let base: CryptoKey = call("importKey(PBKDF2)", imported).await?.unchecked_into();
    let params = object(&[
        ("name", &JsValue::from_str("PBKDF2")),
        ("hash", &JsValue::from_str("SHA-256")),
        ("salt", &Uint8Array::from(salt).into()),
        ("iterations", &JsValue::from(iterations)),
    ]);
    let bits = u32::try_from(out_len * 8).map_err(|_| CryptoError::Backend(String::from("PBKDF2 output too long")))?;
    let derived = call("deriveBits", subtle.derive_bits_with_object(&params, &base, bits)).await?;
    let out = Zeroizing::new(bytes_of(&derived));
    if let Some(buffer) = derived.dyn_ref::<ArrayBuffer>() {
        let view = Uint8Array::new(buffer);
        view.fill(0, 0, view.length());
    }
    Ok(out)
}

impl WebCrypto {
    /// A new random AES-256-GCM key that can never be exported (`extractable: false`): it can
    /// encrypt and decrypt, and be stored in IndexedDB, but no script can read its bytes.
    pub async fn generate_unextractable_key(&self) -> Result<CryptoKey, CryptoError> {
        let subtle = subtle()?;
        let params = object(&[("name", &JsValue::from_str("AES-GCM")), ("length", &JsValue::from(256))]);
        let generated = subtle.generate_key_with_object(&params, false, &usages(&["encrypt", "decrypt"]));
        Ok(call("generateKey(AES-GCM)", generated).await?.unchecked_into())
    }
}

async fn import(raw: &[u8; KEY_LEN]) -> Result<CryptoKey, CryptoError> {
    let subtle = subtle()?;
    let bytes = Uint8Array::from(&raw[..]);
    let imported = subtle.import_key_with_object(
        "raw",
        &bytes,
        &object(&[("name", &JsValue::from_str("AES-GCM"))]),
        false,
        &usages(&["encrypt", "decrypt"]),
    );
    bytes.fill(0, 0, bytes.length());
    Ok(call("importKey(AES-GCM)", imported).await?.unchecked_into())
}

async fn seal(key: &CryptoKey, iv: &[u8; IV_LEN], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let subtle = subtle()?;
    let sealed = call("encrypt", subtle.encrypt_with_object_and_u8_array(&aes_gcm_params(iv), key, plaintext)).await?;
    Ok(bytes_of(&sealed))
}

async fn open(key: &CryptoKey, iv: &[u8; IV_LEN], ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let subtle = subtle()?;
    let promise = subtle
        .decrypt_with_object_and_u8_array(&aes_gcm_params(iv), key, ciphertext)
        .map_err(|error| js_error("decrypt", &error))?;
    // The only way decrypt() rejects for a valid key and IV is an OperationError: no authentication.
    let opened = JsFuture::from(promise).await.map_err(|_| CryptoError::Tampered)?;
    Ok(bytes_of(&opened))
}

/// Decrypts every message at once: a `decrypt` promise each, all awaited through one
/// `Promise.allSettled`, so the batch costs one callback into wasm instead of two per message
/// (their glue was the largest part of a query decrypting 10 000 notes in a CPU profile).
pub(super) async fn open_all(key: &CryptoKey, messages: &[Sealed<'_>]) -> Vec<Result<Vec<u8>, CryptoError>> {
    let subtle = match subtle() {
        Ok(subtle) => subtle,
        Err(error) => return messages.iter().map(|_| Err(error.clone())).collect(),
    };
    let promises = Array::new();
    // A call that throws (rather than rejects) is a backend failure, as in `open`.
    let mut thrown: Vec<Option<CryptoError>> = Vec::with_capacity(messages.len());
    for (iv, ciphertext) in messages {
        match subtle.decrypt_with_object_and_u8_array(&aes_gcm_params(iv), key, ciphertext) {
            Ok(promise) => {
                promises.push(&promise);
                thrown.push(None);
            }
            Err(error) => {
                promises.push(&Promise::resolve(&JsValue::UNDEFINED));
                thrown.push(Some(js_error("decrypt", &error)));
            }
        }
    }
    let settled = match JsFuture::from(Promise::all_settled(&promises)).await {
        Ok(settled) => Array::from(&settled),
        Err(error) => return messages.iter().map(|_| Err(js_error("decrypt", &error))).collect(),
    };
    let (status, value, fulfilled) = (JsValue::from_str("status"), JsValue::from_str("value"), JsValue::from_str("fulfilled"));
    thrown
        .into_iter()
        .enumerate()
        .map(|(i, thrown)| {
            if let Some(error) = thrown {
                return Err(error);
            }
            let outcome = settled.get(i as u32);
            // The only way decrypt() rejects for a valid key and IV is an OperationError: no
            // authentication.
            match Reflect::get(&outcome, &status) {
                Ok(s) if s == fulfilled => Ok(bytes_of(&Reflect::get(&outcome, &value).unwrap_or(JsValue::UNDEFINED))),
                _ => Err(CryptoError::Tampered),
            }
        })
        .collect()
}

impl Backend for WebCrypto {
    type Key = CryptoKey;

    fn name(&self) -> &'static str {
        "WebCrypto"
    }

    fn pbkdf2_sha256<'a>(
        &'a self,
        password: &'a [u8],
        salt: &'a [u8],
        iterations: u32,
        out_len: usize,
    ) -> LocalBoxFuture<'a, Result<Zeroizing<Vec<u8>>, CryptoError>> {
        pbkdf2(password, salt, iterations, out_len).boxed_local()
    }

    fn import_key<'a>(&'a self, raw: &'a [u8; KEY_LEN]) -> LocalBoxFuture<'a, Result<CryptoKey, CryptoError>> {
        import(raw).boxed_local()
    }

    fn seal<'a>(
        &'a self,
        key: &'a CryptoKey,
        iv: &'a [u8; IV_LEN],
        plaintext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        seal(key, iv, plaintext).boxed_local()
    }

    fn open<'a>(
        &'a self,
        key: &'a CryptoKey,
        iv: &'a [u8; IV_LEN],
        ciphertext: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        open(key, iv, ciphertext).boxed_local()
    }

    fn open_many<'a>(
        &'a self,
        key: &'a CryptoKey,
        messages: &'a [Sealed<'a>],
    ) -> LocalBoxFuture<'a, Vec<Result<Vec<u8>, CryptoError>>> {
        open_all(key, messages).boxed_local()
    }
}
