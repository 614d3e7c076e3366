//! Key handoff between the contexts of one browser session (tabs, the sync worker), so one unlock
//! serves them all, and one lock drops the key everywhere.
//!
//! Every context opens a [`KeyHandoff`] on the same `BroadcastChannel` ([`KEY_CHANNEL`]; same
//! origin only, memory only: nothing touches storage). A context that unlocked a vault
//! [`share`](KeyHandoff::share)s it; a new context asks with [`request`](KeyHandoff::request) and
//! takes the first answer that passes the vault's [`KeyCheck`]; [`lock`](KeyHandoff::lock) wipes
//! the key in every context ([`VaultKey::lock`]: all clones fail with [`CryptoError::Locked`]).
//!
//! # Lock always wins
//! `BroadcastChannel` orders the messages of one sender, not of several: a context can read one
//! context's lock before another context's key answer that was sent earlier. So every key carries
//! the stamp of the unlock it came from (`since`), every lock the stamp of the moment it was made
//! (`at`), and a key is dropped, and never accepted, where a lock at or after its unlock was seen.
//! Stamps are milliseconds of the contexts' shared wall clock (one browser, one machine), made
//! strictly greater than every stamp a context has seen (a hybrid logical clock), so an unlock that
//! follows a lock is always later than it, even if the system clock steps back.
//!
//! The messages are plain objects, so the worker (or JavaScript) can take part:
//! `{kind: "request", vault, nonce}`, `{kind: "key", vault, nonce, key: Uint8Array(32), since}`,
//! `{kind: "lock", vault, at}`.
//!
//! # Caution
//! Any script of the same origin can ask for an unlocked key on this channel, as it could read the
//! page's memory: the handoff adds no exposure beyond the origin, and none at all to storage. Lock
//! when the user leaves; a context opened after the last holder closed has to ask for the password
//! (or recall a key remembered on this device: see [`local_keys`](super::local_keys)).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::future::{Either, select};
use futures::{FutureExt as _, StreamExt as _};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{BroadcastChannel, MessageEvent};
use zeroize::Zeroizing;

use super::backend::{KEY_LEN, RawKey, random_array};
use super::cipher::CryptoError;
use super::key_check::KeyCheck;
use super::vault_key::VaultKey;

/// The `BroadcastChannel` name every context of an origin uses for keys.
pub const KEY_CHANNEL: &str = "localful-keys";

/// A stamp: milliseconds of the shared wall clock, strictly increasing per context (see the
/// module docs).
pub type Stamp = f64;

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

/// A key this context holds, and the stamp of the unlock it came from.
struct Held {
    key: VaultKey,
    since: Stamp,
}

/// A key answer waiting for its request: the raw key and its `since`.
type Answer = (RawKey, Stamp);

struct State {
    keys: HashMap<String, Held>,
    /// The latest lock seen (made here or heard) per vault.
    locked_at: HashMap<String, Stamp>,
    pending: HashMap<String, (String, mpsc::UnboundedSender<Answer>)>,
    on_lock: Vec<LockCallback>,
    /// The greatest stamp made or seen.
    last_stamp: Stamp,
    now: Rc<dyn Fn() -> Stamp>,
}

impl State {
    /// A new stamp: the clock's time, or just after the greatest stamp seen if that is later.
    fn stamp(&mut self) -> Stamp {
        let stamp = (self.now)().max(self.last_stamp + 1.0);
        self.last_stamp = stamp;
        stamp
    }

    fn observe(&mut self, stamp: Stamp) {
        self.last_stamp = self.last_stamp.max(stamp);
    }

    /// Whether a key unlocked at `since` is already dropped by a lock seen here.
    fn lock_covers(&self, vault: &str, since: Stamp) -> bool {
        self.locked_at.get(vault).is_some_and(|at| since <= *at)
    }
}

/// One context's end of the key handoff channel. Dropping it closes the channel (the keys it
/// shared stay unlocked in this context; call [`KeyHandoff::lock`] to wipe them).
///
/// # Example
/// ```no_run
/// # async fn demo(unlocked: localful_core::crypto::VaultKey) -> Result<(), localful_core::crypto::CryptoError> {
/// use localful_core::crypto::{handoff::KeyHandoff, KeyCheck};
///
/// // The tab that unlocked the vault (with its password) records a check and shares the key:
/// let check = KeyCheck::of(&unlocked).await?; // stored with the vault
/// let tab_a = KeyHandoff::open()?;
/// tab_a.share("vault-1", unlocked);
///
/// // A tab opened later (another page, or the worker) reads the check and asks:
/// let tab_b = KeyHandoff::open()?;
/// let key = tab_b.request("vault-1", &check, 500).await?; // Some(key) without the password
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
        Self::open_with_clock(name, Rc::new(js_sys::Date::now))
    }

    /// Opens the handoff on channel `name`, stamping with `now` (milliseconds of the clock every
    /// context shares: `Date.now`, or a test's clock).
    pub fn open_with_clock(name: &str, now: Rc<dyn Fn() -> Stamp>) -> Result<Self, CryptoError> {
        let channel = BroadcastChannel::new(name).map_err(|error| CryptoError::Backend(format!("BroadcastChannel: {error:?}")))?;
        let state = Rc::new(RefCell::new(State {
            keys: HashMap::new(),
            locked_at: HashMap::new(),
            pending: HashMap::new(),
            on_lock: Vec::new(),
            last_stamp: 0.0,
            now,
        }));
        let on_message = {
            let (state, channel) = (Rc::clone(&state), channel.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| handle(&state, &channel, &event.data()))
        };
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Self { channel, state, _on_message: on_message })
    }

    /// Holds `key` for `vault` in this context, unlocked now (with the password, or as a new
    /// vault's key), and answers other contexts' requests for it. Returns the unlock's stamp.
    pub fn share(&self, vault: &str, key: VaultKey) -> Stamp {
        let since = self.state.borrow_mut().stamp();
        self.hold(vault, key, since);
        since
    }

    /// Holds `key` for `vault`, unlocked at `since` (a key recalled from where an earlier unlock
    /// put it: see [`local_keys`](super::local_keys)). A lock seen since then wipes it at once
    /// (and `false` is returned).
    pub fn share_since(&self, vault: &str, key: VaultKey, since: Stamp) -> bool {
        if self.state.borrow().lock_covers(vault, since) {
            key.lock();
            return false;
        }
        self.state.borrow_mut().observe(since);
        self.hold(vault, key, since);
        true
    }

    fn hold(&self, vault: &str, key: VaultKey, since: Stamp) {
        self.state.borrow_mut().keys.insert(vault.to_owned(), Held { key, since });
    }

    /// The key this context holds for `vault`, if it is unlocked here.
    pub fn key(&self, vault: &str) -> Option<VaultKey> {
        self.held(vault).map(|(key, _)| key)
    }

    /// The key this context holds for `vault` and the stamp of its unlock.
    pub fn held(&self, vault: &str) -> Option<(VaultKey, Stamp)> {
        let mut state = self.state.borrow_mut();
        match state.keys.get(vault) {
            Some(held) if held.key.is_locked() => {
                state.keys.remove(vault);
                None
            }
            Some(held) => Some((held.key.clone(), held.since)),
            None => None,
        }
    }

    /// The key of `vault`: this context's, or else the first answer from another context within
    /// `timeout_ms` that opens `check`; `Ok(None)` when no context has the vault unlocked (ask
    /// for the password). A key obtained this way is held and shared from here too.
    pub async fn request(&self, vault: &str, check: &KeyCheck, timeout_ms: u32) -> Result<Option<VaultKey>, CryptoError> {
        self.request_until(vault, check, sleep(timeout_ms)).await
    }

    /// Like [`request`](Self::request), but gives up when `give_up` completes instead of after a
    /// fixed time: a timer of the caller's own clock, or (in tests) a sign that every other
    /// context has read the request, such as the answer to a later request.
    ///
    /// An answer is taken only if it opens `check` (a wrong key is ignored: another context may
    /// still give the right one) and no lock seen here came at or after its unlock.
    pub async fn request_until(
        &self,
        vault: &str,
        check: &KeyCheck,
        give_up: impl Future<Output = ()>,
    ) -> Result<Option<VaultKey>, CryptoError> {
        if let Some(key) = self.key(vault) {
            return Ok(Some(key));
        }
        let nonce: [u8; 16] = random_array()?;
        let nonce: String = nonce.iter().map(|byte| format!("{byte:02x}")).collect();
        let (sender, mut answers) = mpsc::unbounded();
        self.state.borrow_mut().pending.insert(nonce.clone(), (vault.to_owned(), sender));
        let result = match self.post(&message(Kind::Request, vault, &[("nonce", &JsValue::from_str(&nonce))])) {
            // `give_up` is first polled here, after the request went out.
            Ok(()) => self.take_answer(vault, check, &mut answers, give_up).await,
            Err(error) => Err(error),
        };
        self.state.borrow_mut().pending.remove(&nonce);
        result
    }

    async fn take_answer(
        &self,
        vault: &str,
        check: &KeyCheck,
        answers: &mut mpsc::UnboundedReceiver<Answer>,
        give_up: impl Future<Output = ()>,
    ) -> Result<Option<VaultKey>, CryptoError> {
        let mut give_up = Box::pin(give_up.fuse());
        loop {
            let (raw, since) = match select(answers.next(), give_up.as_mut()).await {
                Either::Left((Some(answer), _)) => answer,
                Either::Left((None, _)) | Either::Right(_) => return Ok(None),
            };
            let key = VaultKey::from_raw(raw).await?;
            match check.verify(&key).await {
                Ok(()) => {}
                Err(CryptoError::WrongKey) => continue,
                Err(error) => return Err(error),
            }
            // A lock may have come while the key was checked; another answer may have been taken.
            if let Some(held) = self.key(vault) {
                return Ok(Some(held));
            }
            if self.share_since(vault, key.clone(), since) {
                return Ok(Some(key));
            }
        }
    }

    /// Locks `vault` everywhere: wipes the key here (every clone) and tells every other context to
    /// do the same.
    pub fn lock(&self, vault: &str) {
        let at = self.state.borrow_mut().stamp();
        lock_here(&self.state, vault, at);
        // Posting on an open channel only fails if it was closed, which Drop alone does.
        let _ = self.post(&message(Kind::Lock, vault, &[("at", &JsValue::from_f64(at))]));
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

/// A stamp field; a message without one (from a release before stamps) counts as the earliest.
fn stamp_field(data: &JsValue, name: &str) -> Stamp {
    Reflect::get(data, &JsValue::from_str(name)).ok().and_then(|v| v.as_f64()).filter(|v| v.is_finite()).unwrap_or(0.0)
}

/// Applies a lock made at `at`: the key held here is wiped unless it was unlocked after the lock
/// (then the lock is older news); the callbacks hear of it when it applied.
fn lock_here(state: &Rc<RefCell<State>>, vault: &str, at: Stamp) {
    let removed = {
        let mut state = state.borrow_mut();
        state.observe(at);
        let latest = state.locked_at.entry(vault.to_owned()).or_insert(at);
        *latest = latest.max(at);
        if state.keys.get(vault).is_some_and(|held| held.since > at) {
            return;
        }
        state.keys.remove(vault)
    };
    if let Some(held) = removed {
        held.key.lock();
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
        Kind::Lock => lock_here(state, &vault, stamp_field(data, "at")),
        Kind::Request => {
            let Some(nonce) = field(data, "nonce") else { return };
            let held = state.borrow().keys.get(&vault).and_then(|held| Some((held.key.export_raw().ok()?, held.since)));
            if let Some((raw, since)) = held {
                let bytes = Uint8Array::from(raw.as_slice());
                let _ = channel.post_message(&message(
                    Kind::Key,
                    &vault,
                    &[
                        ("nonce", &JsValue::from_str(&nonce)),
                        ("key", &bytes.clone().into()),
                        ("since", &JsValue::from_f64(since)),
                    ],
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
            let since = stamp_field(data, "since");
            let state = state.borrow();
            if state.lock_covers(&vault, since) {
                return;
            }
            if let Some((pending_vault, sender)) = state.pending.get(&nonce)
                && *pending_vault == vault
            {
                let _ = sender.unbounded_send((raw, since));
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
