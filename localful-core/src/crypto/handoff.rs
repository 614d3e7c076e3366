//! Key handoff between the contexts of one browser session (tabs, the sync worker), so one unlock
//! serves them all, and one lock drops the key everywhere.
//!
//! Every context opens a [`KeyHandoff`] on the same `BroadcastChannel` ([`KEY_CHANNEL`]; same
//! origin only, memory only: nothing touches storage). A context that holds an unlocked vault
//! [`share`](KeyHandoff::share)s it; a new context asks with [`request`](KeyHandoff::request) and
//! gets the key from whichever holder answers first; [`lock`](KeyHandoff::lock) wipes the key in
//! every context ([`VaultKey::lock`]: all clones fail with [`CryptoError::Locked`]).
//!
//! The messages are plain objects, so the worker (or JavaScript) can take part:
//! `{kind: "request", vault, nonce}`, `{kind: "key", vault, nonce, key: Uint8Array(32)}`,
//! `{kind: "lock", vault}`.
//!
//! # Caution
//! Any script of the same origin can ask for an unlocked key on this channel, as it could read the
//! page's memory: the handoff adds no exposure beyond the origin, and none at all to storage. Lock
//! when the user leaves; a context opened after the last holder closed has to ask for the password.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{Either, select};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{BroadcastChannel, MessageEvent};
use zeroize::Zeroizing;

use super::backend::{KEY_LEN, RawKey, random_array};
use super::cipher::CryptoError;
use super::vault_key::VaultKey;

/// The `BroadcastChannel` name every context of an origin uses for keys.
pub const KEY_CHANNEL: &str = "localful-keys";

/// The `kind` of a handoff message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Key,
    Lock,
}

impl Kind {
    const ALL: [Self; 3] = [Self::Request, Self::Key, Self::Lock];

    fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Key => "key",
            Self::Lock => "lock",
        }
    }
}

type LockCallback = Box<dyn FnMut(&str)>;

#[derive(Default)]
struct State {
    keys: HashMap<String, VaultKey>,
    pending: HashMap<String, (String, oneshot::Sender<RawKey>)>,
    on_lock: Vec<LockCallback>,
}

/// One context's end of the key handoff channel. Dropping it closes the channel (the keys it
/// shared stay unlocked in this context; call [`KeyHandoff::lock`] to wipe them).
///
/// # Example
/// ```no_run
/// # async fn demo(unlocked: localful_core::crypto::VaultKey) -> Result<(), localful_core::crypto::CryptoError> {
/// use localful_core::crypto::handoff::KeyHandoff;
///
/// // The tab that unlocked the vault:
/// let tab_a = KeyHandoff::open()?;
/// tab_a.share("vault-1", unlocked);
///
/// // A tab opened later (another page, or the worker):
/// let tab_b = KeyHandoff::open()?;
/// let key = tab_b.request("vault-1", 500).await?; // Some(key) without asking for the password
///
/// tab_b.lock("vault-1"); // wiped in every context
/// # Ok(()) }
/// ```
pub struct KeyHandoff {
    channel: BroadcastChannel,
    state: Rc<RefCell<State>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl std::fmt::Debug for KeyHandoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyHandoff").field("channel", &self.channel.name()).finish_non_exhaustive()
    }
}

impl KeyHandoff {
    /// Opens the handoff on [`KEY_CHANNEL`].
    pub fn open() -> Result<Self, CryptoError> {
        Self::open_named(KEY_CHANNEL)
    }

    /// Opens the handoff on a channel of another name (tests, several apps on one origin).
    pub fn open_named(name: &str) -> Result<Self, CryptoError> {
        let channel = BroadcastChannel::new(name).map_err(|error| CryptoError::Backend(format!("BroadcastChannel: {error:?}")))?;
        let state = Rc::new(RefCell::new(State::default()));
        let on_message = {
            let (state, channel) = (Rc::clone(&state), channel.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| handle(&state, &channel, &event.data()))
        };
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Self { channel, state, _on_message: on_message })
    }

    /// Holds `key` for `vault` in this context and answers other contexts' requests for it.
    pub fn share(&self, vault: &str, key: VaultKey) {
        self.state.borrow_mut().keys.insert(vault.to_owned(), key);
    }

    /// The key this context holds for `vault`, if it is unlocked here.
    pub fn key(&self, vault: &str) -> Option<VaultKey> {
        let mut state = self.state.borrow_mut();
        match state.keys.get(vault) {
            Some(key) if key.is_locked() => {
                state.keys.remove(vault);
                None
            }
            other => other.cloned(),
        }
    }

    /// The key of `vault`: this context's, or else the first answer from another context within
    /// `timeout_ms`; `Ok(None)` when no context has the vault unlocked (ask for the password).
    /// A key obtained this way is held and shared from here too.
    pub async fn request(&self, vault: &str, timeout_ms: u32) -> Result<Option<VaultKey>, CryptoError> {
        self.request_until(vault, sleep(timeout_ms)).await
    }

    /// Like [`request`](Self::request), but gives up when `give_up` completes instead of after a
    /// fixed time: a timer of the caller's own clock, or (in tests) a sign that every other
    /// context has read the request, such as the answer to a later request.
    pub async fn request_until(
        &self,
        vault: &str,
        give_up: impl Future<Output = ()>,
    ) -> Result<Option<VaultKey>, CryptoError> {
        if let Some(key) = self.key(vault) {
            return Ok(Some(key));
        }
        let nonce: [u8; 16] = random_array()?;
        let nonce: String = nonce.iter().map(|byte| format!("{byte:02x}")).collect();
        let (sender, receiver) = oneshot::channel();
        self.state.borrow_mut().pending.insert(nonce.clone(), (vault.to_owned(), sender));
        let posted = self.post(&message(Kind::Request, vault, &[("nonce", &JsValue::from_str(&nonce))]));
        let answer = match posted {
            // `give_up` is first polled here, after the request went out.
            Ok(()) => match select(receiver, Box::pin(give_up)).await {
                Either::Left((Ok(raw), _)) => Some(raw),
                _ => None,
            },
            Err(error) => {
                self.state.borrow_mut().pending.remove(&nonce);
                return Err(error);
            }
        };
        self.state.borrow_mut().pending.remove(&nonce);
        let Some(raw) = answer else { return Ok(None) };
        let key = VaultKey::from_raw(raw).await?;
        self.share(vault, key.clone());
        Ok(Some(key))
    }

    /// Locks `vault` everywhere: wipes the key here (every clone) and tells every other context to
    /// do the same.
    pub fn lock(&self, vault: &str) {
        lock_here(&self.state, vault);
        // Posting on an open channel only fails if it was closed, which Drop alone does.
        let _ = self.post(&message(Kind::Lock, vault, &[]));
    }

    /// Calls `callback` with the vault id whenever a vault is locked, here or in another context.
    pub fn on_lock(&self, callback: impl FnMut(&str) + 'static) {
        self.state.borrow_mut().on_lock.push(Box::new(callback));
    }

    fn post(&self, message: &Object) -> Result<(), CryptoError> {
        self.channel
            .post_message(message)
            .map_err(|error| CryptoError::Backend(format!("BroadcastChannel.postMessage: {error:?}")))
    }
}

impl Drop for KeyHandoff {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

fn message(kind: Kind, vault: &str, extra: &[(&str, &JsValue)]) -> Object {
    let object = Object::new();
    let fields = [("kind", &JsValue::from_str(kind.as_str())), ("vault", &JsValue::from_str(vault))];
    for (name, value) in fields.iter().chain(extra) {
        // Setting a property of a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object
}

fn field(data: &JsValue, name: &str) -> Option<String> {
    Reflect::get(data, &JsValue::from_str(name)).ok()?.as_string()
}

fn lock_here(state: &Rc<RefCell<State>>, vault: &str) {
    let removed = state.borrow_mut().keys.remove(vault);
    if let Some(key) = removed {
        key.lock();
    }
    // Take the callbacks out while calling them, so a callback may use this handoff.
    let mut callbacks = std::mem::take(&mut state.borrow_mut().on_lock);
    for callback in &mut callbacks {
        callback(vault);
    }
    let mut state = state.borrow_mut();
    callbacks.append(&mut state.on_lock);
    state.on_lock = callbacks;
}

/// Reacts to one message from another context; anything malformed is ignored.
fn handle(state: &Rc<RefCell<State>>, channel: &BroadcastChannel, data: &JsValue) {
    let (Some(kind), Some(vault)) = (field(data, "kind"), field(data, "vault")) else { return };
    let Some(kind) = Kind::ALL.into_iter().find(|k| k.as_str() == kind) else { return };
    match kind {
        Kind::Lock => lock_here(state, &vault),
        Kind::Request => {
            let Some(nonce) = field(data, "nonce") else { return };
            let raw = state.borrow().keys.get(&vault).and_then(|key| key.export_raw().ok());
            if let Some(raw) = raw {
                let bytes = Uint8Array::from(raw.as_slice());
                let _ = channel.post_message(&message(
                    Kind::Key,
                    &vault,
                    &[("nonce", &JsValue::from_str(&nonce)), ("key", &bytes.clone().into())],
                ));
                // postMessage cloned the bytes: wipe this copy.
                bytes.fill(0, 0, bytes.length());
            }
        }
        Kind::Key => {
            let Some(nonce) = field(data, "nonce") else { return };
            let Ok(bytes) = Reflect::get(data, &JsValue::from_str("key")) else { return };
            let Some(bytes) = bytes.dyn_ref::<Uint8Array>() else { return };
            if bytes.length() as usize != KEY_LEN {
                return;
            }
            let mut raw = Zeroizing::new([0u8; KEY_LEN]);
            bytes.copy_to(raw.as_mut_slice());
            bytes.fill(0, 0, bytes.length());
            let mut state = state.borrow_mut();
            let matches = state.pending.get(&nonce).is_some_and(|(pending_vault, _)| *pending_vault == vault);
            if matches && let Some((_, sender)) = state.pending.remove(&nonce) {
                let _ = sender.send(raw);
            }
        }
    }
}

/// Resolves after `ms` milliseconds (`setTimeout` of whatever global this is).
async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _reject| {
        let set_timeout = Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout"))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        match set_timeout {
            Some(set_timeout) => {
                let _ = set_timeout.call2(&JsValue::NULL, &resolve, &JsValue::from(ms));
            }
            None => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
    });
    let _ = JsFuture::from(promise).await;
}
