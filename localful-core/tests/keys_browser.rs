//! Vault keys between contexts and on this device, in headless Chromium: the handoff (one unlock
//! serves every context, one lock drops the key everywhere, whatever order the messages arrive
//! in, and only the vault's own key is taken) and the device key store (a kept key is wrapped by a
//! key no script can export).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use localful_core::crypto::handoff::{KeyHandoff, Stamp};
use localful_core::crypto::local_keys::LocalKeys;
use localful_core::crypto::{Cipher, CryptoError, KeyCheck, VaultKey};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
// A context that speaks the handoff protocol in plain JavaScript, in this page: it records every
// request and posts exactly the messages a test gives it, in that order.
export function peerOpen(channel) {
  const peer = { ch: new BroadcastChannel(channel), requests: [], waiters: [] };
  peer.ch.onmessage = (e) => {
    if (e.data.kind !== 'request') return;
    peer.requests.push(e.data);
    for (const waiter of peer.waiters.splice(0)) waiter();
  };
  return peer;
}
// The nonce of the next request for `vault` (requests for other vaults stay for their askers).
export async function peerNextRequest(peer, vault) {
  for (;;) {
    const i = peer.requests.findIndex((r) => r.vault === vault);
    if (i >= 0) return peer.requests.splice(i, 1)[0].nonce;
    await new Promise((resolve) => peer.waiters.push(resolve));
  }
}
export function peerLock(peer, vault, at) { peer.ch.postMessage({ kind: 'lock', vault, at }); }
export function peerKey(peer, vault, nonce, key, since) {
  peer.ch.postMessage({ kind: 'key', vault, nonce, key: new Uint8Array(key), since });
}

// A second context: a dedicated worker that holds keys and speaks the handoff protocol.
export function startKeyWorker(channel) {
  const source = `
    const ch = new BroadcastChannel(${JSON.stringify(channel)}); const keys = {};
    onmessage = (e) => { keys[e.data.vault] = e.data; postMessage('holding ' + e.data.vault); };
    ch.onmessage = (e) => { const m = e.data; const held = keys[m.vault];
      if (m.kind === 'request' && held) ch.postMessage({ kind: 'key', vault: m.vault, nonce: m.nonce, key: held.key, since: held.since });
      if (m.kind === 'lock' && held && held.since <= m.at) { delete keys[m.vault]; postMessage('locked ' + m.vault); } };`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  worker.inbox = [];
  worker.onmessage = (e) => { worker.inbox.push(e.data); if (worker.waiter) { worker.waiter(); worker.waiter = null; } };
  return worker;
}
// `key` is a view into the wasm memory: post a copy of its bytes, not (a clone of) the whole memory.
export function workerSend(worker, vault, key, since) { worker.postMessage({ vault, key: new Uint8Array(key), since }); }
export async function workerNext(worker) {
  if (!worker.inbox.length) await new Promise((resolve) => { worker.waiter = resolve; });
  return worker.inbox.shift();
}

// The device key store's record of a vault, as any script of the origin could read it.
const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
async function withRecord(dbName, vault, change) {
  const db = await req(indexedDB.open(dbName));
  try {
    const tx = db.transaction('remembered', 'readwrite');
    const record = await req(tx.objectStore('remembered').get(vault));
    if (change) { await change(record); tx.objectStore('remembered').put(record, vault); }
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    return record;
  } finally { db.close(); }
}
// [is a CryptoKey, extractable, algorithm, usages, exportKey's error name or 'exported']
export async function inspectKept(dbName, vault) {
  const record = await withRecord(dbName, vault, null);
  const key = record.wrapping;
  let exported;
  try { await crypto.subtle.exportKey('raw', key); exported = 'exported'; } catch (e) { exported = e.name; }
  try { await crypto.subtle.exportKey('jwk', key); exported += ' exported'; } catch (e) { exported += ' ' + e.name; }
  return [String(key instanceof CryptoKey), String(key.extractable), key.algorithm.name + '-' + key.algorithm.length,
    key.usages.join(','), exported, Object.keys(record).sort().join(','), String(record.wrapped.length)];
}
// Replaces the wrapping key by another (the stored material without the browser's own key).
export async function swapWrappingKey(dbName, vault) {
  const other = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  await withRecord(dbName, vault, async (record) => { record.wrapping = other; });
}
// Opens the wrapped bytes with a key imported from `raw`: whether the record is just the vault
// key encrypted under some other key (it must not open with the vault key itself).
export async function opensWith(dbName, vault, raw) {
  const record = await withRecord(dbName, vault, null);
  const key = await crypto.subtle.importKey('raw', new Uint8Array(raw), 'AES-GCM', false, ['decrypt']);
  try { await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, key, record.wrapped); return true; } catch { return false; }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = peerOpen)]
    fn peer_open(channel: &str) -> JsValue;
    #[wasm_bindgen(js_name = peerNextRequest)]
    async fn peer_next_request(peer: &JsValue, vault: &str) -> JsValue;
    #[wasm_bindgen(js_name = peerLock)]
    fn peer_lock(peer: &JsValue, vault: &str, at: f64);
    #[wasm_bindgen(js_name = peerKey)]
    fn peer_key(peer: &JsValue, vault: &str, nonce: &str, key: &[u8], since: f64);
    #[wasm_bindgen(js_name = startKeyWorker)]
    fn start_key_worker(channel: &str) -> JsValue;
    #[wasm_bindgen(js_name = workerSend)]
    fn worker_send(worker: &JsValue, vault: &str, key: &[u8], since: f64);
    #[wasm_bindgen(js_name = workerNext)]
    async fn worker_next(worker: &JsValue) -> JsValue;
    #[wasm_bindgen(catch, js_name = inspectKept)]
    async fn inspect_kept(db: &str, vault: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = swapWrappingKey)]
    async fn swap_wrapping_key(db: &str, vault: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = opensWith)]
    async fn opens_with(db: &str, vault: &str, raw: &[u8]) -> Result<JsValue, JsValue>;
}

/// How long a handoff request waits for an answer that must come. It bounds a failure only: an
/// answer returns at once.
const DEADLINE_MS: u32 = 30_000;

/// A clock the test sets: the stamps' source for a handoff under test.
#[derive(Clone, Default)]
struct TestClock(Rc<Cell<Stamp>>);

impl TestClock {
    fn at(start: Stamp) -> Self {
        Self(Rc::new(Cell::new(start)))
    }
    fn open(&self, channel: &str) -> KeyHandoff {
        let time = self.0.clone();
        KeyHandoff::open_with_clock(channel, Rc::new(move || time.get())).unwrap()
    }
}

/// A fresh key and its check.
async fn key_and_check() -> (VaultKey, KeyCheck) {
    let key = VaultKey::generate().await.unwrap();
    let check = KeyCheck::of(&key).await.unwrap();
    (key, check)
}

/// Makes `holder` hold a new key for vault `marker`; returns its check.
async fn marker(holder: &KeyHandoff, marker: &str) -> KeyCheck {
    let (key, check) = key_and_check().await;
    holder.share(marker, key);
    check
}

/// Completes once `asker`'s request for `marker`, a vault that exactly one other context holds,
/// is answered: that context has then read every message `asker` posted before (one sender's
/// messages arrive in order), and acted on it.
async fn answered(asker: &KeyHandoff, marker: &str, check: &KeyCheck) {
    let key = asker.request(marker, check, DEADLINE_MS).await.unwrap();
    assert!(key.is_some(), "{marker} was not handed over");
}

/// Completes once the JavaScript `peer` has received a request for `marker` from `asker` and
/// answered it: every message the peer posted before that answer has been read by `asker`.
async fn peer_flushed(asker: &KeyHandoff, peer: &JsValue, marker: &str) {
    let (key, check) = key_and_check().await;
    let raw = key.export_raw().unwrap();
    let asking = asker.request(marker, &check, DEADLINE_MS);
    let answering = async {
        let nonce = peer_next_request(peer, marker).await.as_string().unwrap();
        peer_key(peer, marker, &nonce, raw.as_slice(), 1.0);
    };
    let (taken, ()) = futures::future::join(asking, answering).await;
    assert!(taken.unwrap().is_some(), "the peer's marker was not taken");
}

#[wasm_bindgen_test]
async fn a_second_handoff_gets_the_key_and_lock_drops_it_everywhere() {
    let (a, b) = (KeyHandoff::open_named("test-two-ends").unwrap(), KeyHandoff::open_named("test-two-ends").unwrap());
    let (key, check) = key_and_check().await;
    let note = key.encrypt(b"shared note").await.unwrap();
    a.share("vault-1", key.clone());

    let received = b.request("vault-1", &check, DEADLINE_MS).await.unwrap().unwrap();
    assert!(received.same_key_as(&key));
    assert_eq!(received.decrypt(&note).await.unwrap(), b"shared note");
    // b gives up on vault-2 once a has answered a later request: a read the first and had no key.
    let marker_a = marker(&a, "marker-a").await;
    let (_, check_2) = key_and_check().await;
    let vault_2 = b.request_until("vault-2", &check_2, answered(&b, "marker-a", &marker_a)).await.unwrap();
    assert!(vault_2.is_none(), "nobody has vault-2 unlocked");

    let locked = Rc::new(RefCell::new(Vec::<String>::new()));
    let seen = locked.clone();
    a.on_lock(move |vault| seen.borrow_mut().push(vault.to_owned()));
    b.lock("vault-1");
    assert!(received.is_locked(), "locked here at once");
    // a has read the lock once it answers b's next request.
    let after_lock = marker(&a, "after-lock").await;
    answered(&b, "after-lock", &after_lock).await;
    assert!(key.is_locked(), "locked in the other context");
    assert_eq!(key.decrypt(&note).await, Err(CryptoError::Locked));
    assert_eq!(*locked.borrow(), ["vault-1"]);
    assert!(a.key("vault-1").is_none());

    // A third context asks, and gives up once both a and b have answered a later request of its
    // own (each for a marker only that one holds).
    let only_a = marker(&a, "only-a").await;
    let only_b = marker(&b, "only-b").await;
    let c = KeyHandoff::open_named("test-two-ends").unwrap();
    let both_read = async {
        futures::future::join(answered(&c, "only-a", &only_a), answered(&c, "only-b", &only_b)).await;
    };
    let vault_1 = c.request_until("vault-1", &check, both_read).await.unwrap();
    assert!(vault_1.is_none(), "no context still holds it");
}

#[wasm_bindgen_test]
async fn a_key_answer_read_after_a_later_lock_is_refused() {
    // What BroadcastChannel allows with several senders: context C answered B's request before C
    // heard A's lock, and B reads A's lock first, then C's answer.
    let clock = TestClock::at(1_000.0);
    let b = clock.open("test-reorder");
    let peer = peer_open("test-reorder");
    let (key, check) = key_and_check().await;
    let raw = key.export_raw().unwrap();

    let asking = b.request_until("vault-r", &check, peer_flushed(&b, &peer, "flush-1"));
    let replaying = async {
        let nonce = peer_next_request(&peer, "vault-r").await.as_string().unwrap();
        peer_lock(&peer, "vault-r", 2_000.0); // A's lock, made at 2 000
        peer_key(&peer, "vault-r", &nonce, raw.as_slice(), 1_500.0); // C's key, unlocked at 1 500
    };
    let (taken, ()) = futures::future::join(asking, replaying).await;
    assert!(taken.unwrap().is_none(), "a key unlocked before a lock this context saw was taken");

    // A key unlocked after that lock (a password unlock in another context since) is taken.
    let asking = b.request("vault-r", &check, DEADLINE_MS);
    let answering = async {
        let nonce = peer_next_request(&peer, "vault-r").await.as_string().unwrap();
        peer_key(&peer, "vault-r", &nonce, raw.as_slice(), 1_999.0); // still before: ignored
        peer_key(&peer, "vault-r", &nonce, raw.as_slice(), 2_001.0);
    };
    let (taken, ()) = futures::future::join(asking, answering).await;
    let taken = taken.unwrap().expect("an unlock after the lock is handed over");
    assert!(taken.same_key_as(&key));

    // B itself unlocks after having seen the lock: its stamp is later than the lock even though
    // its own clock is behind (1 000 < 2 000), so a late copy of the same lock leaves it alone.
    let (own, _) = key_and_check().await;
    b.lock("vault-r");
    let own_since = b.share("vault-o", own.clone());
    assert!(own_since > 2_000.0, "stamp {own_since} is not after the lock it saw");
    peer_lock(&peer, "vault-o", 2_000.0);
    peer_flushed(&b, &peer, "flush-2").await;
    assert!(!own.is_locked(), "a lock older than the unlock wiped it");
    // ... and a lock made after it wipes it.
    peer_lock(&peer, "vault-o", own_since + 1.0);
    peer_flushed(&b, &peer, "flush-3").await;
    assert!(own.is_locked());
}

#[wasm_bindgen_test]
async fn a_lock_right_after_a_key_answer_wins() {
    // The answer passes the first look, then the lock comes: while the key is being checked (an
    // await), or after it was taken. Either way the key must not stay usable.
    let b = TestClock::at(1_000.0).open("test-lock-during-check");
    let peer = peer_open("test-lock-during-check");
    let (key, check) = key_and_check().await;
    let raw = key.export_raw().unwrap();
    let asking = b.request_until("vault-c", &check, peer_flushed(&b, &peer, "flush"));
    let answering = async {
        let nonce = peer_next_request(&peer, "vault-c").await.as_string().unwrap();
        peer_key(&peer, "vault-c", &nonce, raw.as_slice(), 1_500.0);
        peer_lock(&peer, "vault-c", 1_600.0);
    };
    let (taken, ()) = futures::future::join(asking, answering).await;
    peer_flushed(&b, &peer, "flush-after").await; // b has read the lock
    if let Some(taken) = taken.unwrap() {
        assert!(taken.is_locked(), "a key kept across a lock");
    }
    assert!(b.key("vault-c").is_none());
}

#[wasm_bindgen_test]
async fn only_the_vaults_own_key_is_taken() {
    let b = KeyHandoff::open_named("test-wrong-key").unwrap();
    let peer = peer_open("test-wrong-key");
    let (key, check) = key_and_check().await;
    let (wrong, _) = key_and_check().await;

    // A wrong key alone: nothing is taken.
    let asking = b.request_until("vault-w", &check, peer_flushed(&b, &peer, "flush"));
    let answering = async {
        let nonce = peer_next_request(&peer, "vault-w").await.as_string().unwrap();
        peer_key(&peer, "vault-w", &nonce, wrong.export_raw().unwrap().as_slice(), 1.0);
    };
    let (taken, ()) = futures::future::join(asking, answering).await;
    assert!(taken.unwrap().is_none(), "a key that does not open the check was taken");
    assert!(b.key("vault-w").is_none());

    // A wrong key first, then the right one: the right one is taken.
    let asking = b.request("vault-w", &check, DEADLINE_MS);
    let answering = async {
        let nonce = peer_next_request(&peer, "vault-w").await.as_string().unwrap();
        peer_key(&peer, "vault-w", &nonce, wrong.export_raw().unwrap().as_slice(), 1.0);
        peer_key(&peer, "vault-w", &nonce, key.export_raw().unwrap().as_slice(), 1.0);
    };
    let (taken, ()) = futures::future::join(asking, answering).await;
    assert!(taken.unwrap().unwrap().same_key_as(&key));
    assert!(b.key("vault-w").unwrap().same_key_as(&key));
}

#[wasm_bindgen_test]
async fn a_worker_context_hands_over_the_key_and_hears_the_lock() {
    let worker = start_key_worker("test-worker-handoff");
    let (key, check) = key_and_check().await;
    worker_send(&worker, "vault-w", key.export_raw().unwrap().as_slice(), js_sys::Date::now());
    assert_eq!(worker_next(&worker).await.as_string().as_deref(), Some("holding vault-w"));

    let tab = KeyHandoff::open_named("test-worker-handoff").unwrap();
    let received = tab.request("vault-w", &check, DEADLINE_MS).await.unwrap().unwrap();
    assert!(received.same_key_as(&key));
    tab.lock("vault-w");
    assert_eq!(worker_next(&worker).await.as_string().as_deref(), Some("locked vault-w"));
    assert!(received.is_locked());
}

#[wasm_bindgen_test]
async fn a_kept_key_comes_back_wrapped_by_a_key_no_script_can_export() {
    let local = LocalKeys::new("test-kept");
    let db = "localful:test-kept:key-store";
    let (key, check) = key_and_check().await;
    assert_eq!(local.check("vault-k").await.unwrap(), None);
    local.record_check("vault-k", &key).await.unwrap();
    local.check("vault-k").await.unwrap().unwrap().verify(&key).await.unwrap();
    assert!(!local.is_remembered("vault-k").await.unwrap());
    assert!(local.recall("vault-k").await.unwrap().is_none());

    local.remember("vault-k", &key, 1_234.0).await.unwrap();
    assert!(local.is_remembered("vault-k").await.unwrap());
    let (recalled, since) = local.recall("vault-k").await.unwrap().unwrap();
    assert!(recalled.same_key_as(&key));
    assert_eq!(since, 1_234.0);
    check.verify(&recalled).await.unwrap();

    // What is stored: a non-extractable AES-GCM key that no export reaches, and the vault key
    // encrypted under it (not openable with the vault key itself, not the raw bytes).
    let facts = js_sys::Array::from(&inspect_kept(db, "vault-k").await.unwrap());
    let facts: Vec<String> = facts.iter().map(|v| v.as_string().unwrap()).collect();
    let expected = [
        "true",                                    // a CryptoKey
        "false",                                   // not extractable
        "AES-GCM-256",                             // the algorithm
        "encrypt,decrypt",                         // its uses
        "InvalidAccessError InvalidAccessError",   // exportKey raw and jwk refused
        "iv,since,wrapped,wrapping",               // all the record holds
        "48",                                      // 32 key bytes + the 16-byte tag
    ];
    assert_eq!(facts, expected);
    assert_eq!(opens_with(db, "vault-k", key.export_raw().unwrap().as_slice()).await.unwrap().as_bool(), Some(false));

    // The stored material without the browser's own key does not open: a record whose wrapping
    // key is another one is refused, and nothing is unlocked.
    swap_wrapping_key(db, "vault-k").await.unwrap();
    assert_eq!(local.recall("vault-k").await.err(), Some(CryptoError::Tampered));

    // Forgetting deletes it.
    local.remember("vault-k", &key, 1_300.0).await.unwrap();
    local.forget("vault-k").await.unwrap();
    assert!(!local.is_remembered("vault-k").await.unwrap());
    assert!(local.recall("vault-k").await.unwrap().is_none());
    local.forget("vault-k").await.unwrap(); // forgetting nothing is fine
}
