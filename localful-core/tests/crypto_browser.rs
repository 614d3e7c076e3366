//! The crypto in headless Chromium: WebCrypto against the published vectors and the Rust backends,
//! interop with plain WebCrypto JavaScript, corrupted envelopes, and a scan of every browser
//! storage for leaked keys or plaintext (the key handoff and the device key store: keys_browser.rs).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod crypto_suite;

use localful_core::crypto::backends::{Browser, RustCrypto, WebCrypto};
use localful_core::crypto::handoff::KeyHandoff;
use localful_core::crypto::local_keys::LocalKeys;
use localful_core::crypto::{
    Backend, Cipher, CryptoError, DEFAULT_ITERATIONS, Envelope, KeyCheck, change_password, create_protected_key,
    server_password, unlock,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use zeroize::Zeroizing;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const enc = new TextEncoder();
const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const envelope = (meta, ct) => 'v1:' + btoa(JSON.stringify(meta)) + ':' + b64(ct);
function parse(text) {
  const [version, meta, ct] = text.split(':');
  if (version !== 'v1') throw new Error('unknown version ' + version);
  return { meta: JSON.parse(atob(meta)), ct: unb64(ct) };
}
async function unlockKey(password, salt, iterations, usages) {
  const base = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base,
    { name: 'AES-GCM', length: 256 }, false, usages);
}

// Plain WebCrypto, following SPEC.md "Encryption": a protected key and one data envelope.
export async function jsCreate(password, iterations, plaintext) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const dataKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const raw = await crypto.subtle.exportKey('raw', dataKey);
  const unlock = await unlockKey(password, salt, iterations, ['encrypt']);
  const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, unlock, raw);
  const dataIv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: dataIv }, dataKey, enc.encode(plaintext));
  return [envelope({ iv: b64(iv), salt: b64(salt), iterations }, wrapped), envelope({ iv: b64(dataIv) }, data)];
}

// Plain WebCrypto: unwrap our protected key, decrypt our data envelope.
export async function jsOpen(protectedKey, password, dataEnvelope) {
  const p = parse(protectedKey);
  const unlock = await unlockKey(password, unb64(p.meta.salt), p.meta.iterations ?? 100000, ['decrypt']);
  const raw = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(p.meta.iv) }, unlock, p.ct);
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
  const d = parse(dataEnvelope);
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(d.meta.iv) }, key, d.ct));
}

export async function jsServerPassword(password, email, appSalt) {
  const base = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: enc.encode(email + appSalt), iterations: 100000 }, base, 512);
  return [...new Uint8Array(bits).slice(32)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Storage, as an app stores things: localStorage strings, IndexedDB rows.
export function lsSet(key, value) { localStorage.setItem(key, value); }
export function ssSet(key, value) { sessionStorage.setItem(key, value); }
export function ssRemove(key) { sessionStorage.removeItem(key); }
const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
export async function idbPut(dbName, value) {
  const open = indexedDB.open(dbName, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('rows');
  const db = await req(open);
  await new Promise((resolve, reject) => {
    const tx = db.transaction('rows', 'readwrite');
    tx.objectStore('rows').put(value, crypto.randomUUID());
    tx.oncomplete = resolve; tx.onerror = () => reject(tx.error);
  });
  db.close();
}
export async function idbDelete(dbName) { await req(indexedDB.deleteDatabase(dbName)); }

// Everything in localStorage, sessionStorage and every IndexedDB database, as text: strings as
// they are, binary as hex and as latin1, searched for each needle.
function flatten(value, out) {
  if (value == null) return;
  if (typeof value === 'string') { out.push(value); return; }
  if (typeof value !== 'object') { out.push(String(value)); return; }
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    out.push([...bytes].map((b) => b.toString(16).padStart(2, '0')).join(''));
    out.push(String.fromCharCode(...bytes));
    return;
  }
  if (value instanceof Blob) { out.push('[blob]'); return; }
  for (const [k, v] of (value instanceof Map ? value.entries() : Object.entries(value))) { flatten(k, out); flatten(v, out); }
}
export async function scanStorage(needles) {
  const places = [];
  for (const [label, storage] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
    const out = [];
    for (let i = 0; i < storage.length; i++) { const k = storage.key(i); out.push(k, storage.getItem(k)); }
    places.push([label, out.join('\n')]);
  }
  for (const { name } of await indexedDB.databases()) {
    const db = await req(indexedDB.open(name));
    for (const store of db.objectStoreNames) {
      const tx = db.transaction(store, 'readonly');
      const [keys, values] = await Promise.all([req(tx.objectStore(store).getAllKeys()), req(tx.objectStore(store).getAll())]);
      const out = []; flatten(keys, out); flatten(values, out);
      places.push([`indexedDB ${name}/${store}`, out.join('\n')]);
    }
    db.close();
  }
  const found = [];
  for (const [label, text] of places) for (const needle of needles) if (text.includes(needle)) found.push(label);
  return [places.length, found];
}

"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = jsCreate)]
    async fn js_create(password: &str, iterations: u32, plaintext: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = jsOpen)]
    async fn js_open(protected: &str, password: &str, envelope: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = jsServerPassword)]
    async fn js_server_password(password: &str, email: &str, app_salt: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = lsSet)]
    fn local_storage_set(key: &str, value: &str);
    #[wasm_bindgen(js_name = ssSet)]
    fn session_storage_set(key: &str, value: &str);
    #[wasm_bindgen(js_name = ssRemove)]
    fn session_storage_remove(key: &str);
    #[wasm_bindgen(catch, js_name = idbPut)]
    async fn idb_put(db: &str, value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbDelete)]
    async fn idb_delete(db: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = scanStorage)]
    async fn scan_storage(needles: Vec<String>) -> Result<JsValue, JsValue>;
}

/// How long a handoff request waits for an answer that must come. It bounds a failure only: an
/// answer returns at once.
const DEADLINE_MS: u32 = 30_000;

fn strings(value: JsValue) -> Vec<String> {
    js_sys::Array::from(&value).iter().map(|v| v.as_string().unwrap()).collect()
}

#[wasm_bindgen_test]
async fn pbkdf2_matches_rfc_7914() {
    crypto_suite::pbkdf2_vectors(&WebCrypto).await;
    crypto_suite::pbkdf2_vectors(&RustCrypto).await;
    crypto_suite::pbkdf2_vectors(&Browser).await;
}

#[wasm_bindgen_test]
async fn aes_gcm_matches_mcgrew_viega() {
    crypto_suite::aes_gcm_vectors(&WebCrypto).await;
    crypto_suite::aes_gcm_vectors(&RustCrypto).await;
    crypto_suite::aes_gcm_vectors(&Browser).await;
}

#[wasm_bindgen_test]
async fn webcrypto_and_rustcrypto_are_byte_compatible() {
    crypto_suite::seal_with_open_with(&WebCrypto, &RustCrypto).await;
    crypto_suite::seal_with_open_with(&RustCrypto, &WebCrypto).await;
    crypto_suite::protected_key_across(WebCrypto, RustCrypto).await;
    crypto_suite::protected_key_across(RustCrypto, WebCrypto).await;
}

#[wasm_bindgen_test]
async fn the_default_browser_backend_is_byte_compatible_on_both_sides_of_its_threshold() {
    crypto_suite::seal_with_open_with(&Browser, &WebCrypto).await;
    crypto_suite::seal_with_open_with(&RustCrypto, &Browser).await;
    crypto_suite::protected_key_across(Browser, WebCrypto).await;
}

#[cfg(feature = "crypto-bench")]
#[wasm_bindgen_test]
async fn ring_in_wasm_is_byte_compatible_too() {
    use localful_core::crypto::backends::Ring;
    crypto_suite::pbkdf2_vectors(&Ring).await;
    crypto_suite::aes_gcm_vectors(&Ring).await;
    crypto_suite::seal_with_open_with(&Ring, &WebCrypto).await;
    crypto_suite::protected_key_across(WebCrypto, Ring).await;
}

#[wasm_bindgen_test]
async fn old_envelopes_without_iterations_use_100k() {
    crypto_suite::legacy_iterations(WebCrypto).await;
}

#[wasm_bindgen_test]
async fn every_corruption_is_a_typed_error() {
    crypto_suite::every_corruption_is_a_typed_error(WebCrypto).await;
    crypto_suite::every_corruption_is_a_typed_error(Browser).await;
}

#[wasm_bindgen_test]
async fn too_few_iterations_are_refused_on_write_and_errors_never_echo_their_input() {
    crypto_suite::too_few_iterations_are_refused_on_write(Browser).await;
    crypto_suite::errors_never_echo_their_input(Browser).await;
}

#[wasm_bindgen_test]
async fn decrypt_many_matches_decrypt_one_by_one() {
    crypto_suite::decrypt_many_matches_decrypt_one_by_one(Browser).await;
    crypto_suite::decrypt_many_matches_decrypt_one_by_one(WebCrypto).await;
}

#[wasm_bindgen_test]
async fn lock_wipes_every_clone() {
    crypto_suite::lock_wipes_every_clone(WebCrypto).await;
}

#[wasm_bindgen_test]
async fn server_password_matches_python_and_plain_webcrypto() {
    crypto_suite::server_password_vector(&WebCrypto).await;
    let ours = server_password("pässwörd", "bo@example.com", "salt-42").await.unwrap();
    let theirs = js_server_password("pässwörd", "bo@example.com", "salt-42").await.unwrap();
    assert_eq!(Some(ours), theirs.as_string());
}

#[wasm_bindgen_test]
async fn envelopes_made_by_plain_webcrypto_decrypt_with_ours() {
    let made = strings(js_create("hunter2 ✓", DEFAULT_ITERATIONS, r#"{"title":"from JS"}"#).await.unwrap());
    let key = unlock(&made[0], "hunter2 ✓").await.unwrap();
    assert_eq!(key.decrypt(&made[1]).await.unwrap(), br#"{"title":"from JS"}"#);
    assert_eq!(unlock(&made[0], "hunter3").await.err(), Some(CryptoError::WrongPassword));
    // RustCrypto in wasm reads them too (fewer iterations: it blocks the page, unoptimized).
    let made = strings(js_create("hunter2 ✓", crypto_suite::FAST, r#"{"title":"from JS"}"#).await.unwrap());
    let key = localful_core::crypto::unlock_with(RustCrypto, &made[0], "hunter2 ✓").await.unwrap();
    assert_eq!(key.decrypt(&made[1]).await.unwrap(), br#"{"title":"from JS"}"#);
}

#[wasm_bindgen_test]
async fn our_envelopes_decrypt_with_plain_webcrypto() {
    let (key, protected) = create_protected_key("hunter2 ✓").await.unwrap();
    assert_eq!(Envelope::decode(&protected).unwrap().metadata.iterations, Some(600_000));
    let envelope = key.encrypt(r#"{"title":"from Rust"}"#.as_bytes()).await.unwrap();
    let opened = js_open(&protected, "hunter2 ✓", &envelope).await.unwrap();
    assert_eq!(opened.as_string().as_deref(), Some(r#"{"title":"from Rust"}"#));
    let changed = change_password(&protected, "hunter2 ✓", "new").await.unwrap();
    let opened = js_open(&changed, "new", &envelope).await.unwrap();
    assert_eq!(opened.as_string().as_deref(), Some(r#"{"title":"from Rust"}"#));
    assert!(js_open(&changed, "hunter2 ✓", &envelope).await.is_err());
}

#[wasm_bindgen_test]
async fn no_key_or_plaintext_reaches_any_browser_storage() {
    const MARKER: &str = "TOP-SECRET-PLAINTEXT-7f3a";
    // The scanner finds what is there (so a clean scan means something): plant, find, remove.
    session_storage_set("plant", MARKER);
    idb_put("crypto-scan-plant", &js_sys::Uint8Array::from(MARKER.as_bytes()).into()).await.unwrap();
    let (_, found) = scan(&[MARKER.to_owned()]).await;
    assert_eq!(found, ["sessionStorage", "indexedDB crypto-scan-plant/rows"]);
    session_storage_remove("plant");
    idb_delete("crypto-scan-plant").await.unwrap();

    // Every operation, storing what an app stores (protected keys in localStorage, envelopes in
    // IndexedDB, as strings and as bytes).
    let (key, protected) = create_protected_key("the password").await.unwrap();
    local_storage_set("localful:protected-key:vault-s", &protected);
    let envelope = key.encrypt(format!(r#"{{"body":"{MARKER}"}}"#).as_bytes()).await.unwrap();
    idb_put("crypto-scan-vault", &JsValue::from_str(&envelope)).await.unwrap();
    idb_put("crypto-scan-vault", &js_sys::Uint8Array::from(envelope.as_bytes()).into()).await.unwrap();
    let changed = change_password(&protected, "the password", "new password").await.unwrap();
    local_storage_set("localful:protected-key:vault-s", &changed);
    let unlocked = unlock(&changed, "new password").await.unwrap();
    let (a, b) = (KeyHandoff::open_named("test-scan").unwrap(), KeyHandoff::open_named("test-scan").unwrap());
    a.share("vault-s", unlocked.clone());
    let check = KeyCheck::of(&unlocked).await.unwrap();
    let handed = b.request("vault-s", &check, DEADLINE_MS).await.unwrap().unwrap();
    // Kept on this device too: only wrapped, never the raw key.
    let local = LocalKeys::new("crypto-scan");
    local.record_check("vault-s", &unlocked).await.unwrap();
    local.remember("vault-s", &unlocked, 1.0).await.unwrap();
    assert!(local.recall("vault-s").await.unwrap().unwrap().0.same_key_as(&unlocked));
    assert_eq!(handed.decrypt(&envelope).await.unwrap(), format!(r#"{{"body":"{MARKER}"}}"#).as_bytes());

    // Needles: the data key and both unlock keys in every encoding, the plaintext, the passwords.
    let raw = key.export_raw().unwrap();
    let mut keys = vec![raw.clone()];
    for (envelope, password) in [(&protected, "the password"), (&changed, "new password")] {
        let meta = Envelope::decode(envelope).unwrap().metadata;
        let salt = meta.salt.unwrap();
        let unlock_key = WebCrypto.pbkdf2_sha256(password.as_bytes(), &salt, meta.iterations.unwrap(), 32).await.unwrap();
        keys.push(Zeroizing::new(unlock_key.as_slice().try_into().unwrap()));
    }
    let mut needles = vec![MARKER.to_owned(), "the password".to_owned(), "new password".to_owned()];
    for key in &keys {
        use base64::Engine as _;
        needles.push(key.iter().map(|b| format!("{b:02x}")).collect());
        needles.push(base64::engine::general_purpose::STANDARD.encode(key.as_slice()));
        needles.push(key.iter().map(|&b| char::from(b)).collect());
    }
    let (places, found) = scan(&needles).await;
    assert!(places >= 3, "scanned localStorage, sessionStorage and the vault database ({places} places)");
    assert!(found.is_empty(), "secrets found in {found:?}");
    idb_delete("crypto-scan-vault").await.unwrap();
}

async fn scan(needles: &[String]) -> (u32, Vec<String>) {
    let result = js_sys::Array::from(&scan_storage(needles.to_vec()).await.unwrap());
    (result.get(0).as_f64().unwrap() as u32, strings(result.get(1)))
}

/// A collection with nothing exposed: all of it must be encrypted at rest.
#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
struct Secret {
    title: String,
    body: String,
}

impl localful_core::Collection for Secret {
    const NAME: &'static str = "secrets";
    fn exposed_fields() -> Vec<localful_core::ExposedField> {
        Vec::new()
    }
}

#[wasm_bindgen_test]
async fn the_indexeddb_store_with_our_key_keeps_nothing_in_clear() {
    use localful_core::{Database, EventBus, IndexedDbStore, Schema};
    use std::rc::Rc;
    const TITLE: &str = "CLEAR-TITLE-51c2";
    const BODY: &str = "CLEAR-BODY-9e04";

    let (key, protected) = create_protected_key("store password").await.unwrap();
    let store = Rc::new(IndexedDbStore::new("crypto-scan-app"));
    let db = Database::new(store, Schema::new().with::<Secret>(), EventBus::local(), "laptop");
    let vault = db.create_vault("Personal", &protected).await.unwrap();
    let handle = db.open_vault(vault.id, Rc::new(key.clone())).await.unwrap();
    let id = handle.create(&Secret { title: TITLE.into(), body: BODY.into() }).await.unwrap();
    handle.update(id, &Secret { title: format!("{TITLE}-2"), body: format!("{BODY}-2") }).await.unwrap();
    assert_eq!(handle.get::<Secret>(id).await.unwrap().data.body, format!("{BODY}-2"));

    // A wrong password changes nothing stored; a password change re-wraps the stored key only.
    let stored = db.vault(vault.id).await.unwrap().protected_encryption_key;
    assert_eq!(unlock(&stored, "wrong").await.err(), Some(CryptoError::WrongPassword));
    assert_eq!(db.vault(vault.id).await.unwrap().protected_encryption_key, protected);
    let changed = change_password(&stored, "store password", "new store password").await.unwrap();
    db.update_vault(vault.id, |v| v.protected_encryption_key = changed.clone()).await.unwrap();
    let reopened = unlock(&db.vault(vault.id).await.unwrap().protected_encryption_key, "new store password").await.unwrap();
    let handle = db.open_vault(vault.id, Rc::new(reopened)).await.unwrap();
    assert_eq!(handle.get::<Secret>(id).await.unwrap().data.title, format!("{TITLE}-2"));

    let raw = key.export_raw().unwrap();
    let mut needles = vec![TITLE.to_owned(), BODY.to_owned(), "store password".to_owned()];
    {
        use base64::Engine as _;
        needles.push(raw.iter().map(|b| format!("{b:02x}")).collect());
        needles.push(base64::engine::general_purpose::STANDARD.encode(raw.as_slice()));
        needles.push(raw.iter().map(|&b| char::from(b)).collect());
    }
    let (_, found) = scan(&needles).await;
    assert!(found.is_empty(), "secrets found in {found:?}");
    // Positive control: what the spec keeps in clear (the vault name, the wrapped key) is found in
    // the store's databases, so the scan above did read them.
    let (_, found) = scan(&["Personal".to_owned(), changed.clone()]).await;
    assert!(found.iter().filter(|place| place.starts_with("indexedDB crypto-scan-app")).count() >= 2, "{found:?}");
}
