//! [`WorkerConnection`]: status, session and requests, whatever carries the messages.

use futures::channel::oneshot;
use localful_core::sync::SyncError;
use localful_worker::tab_protocol::{AuthState, RequestNo, SyncPhase, SyncState, TabMessage, WorkerMessage};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

type Send = Box<dyn Fn(&TabMessage)>;

type Listener = Rc<dyn Fn()>;
type TokenSink = Box<dyn Fn(Option<&str>)>;

#[derive(Default)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // natively nothing attaches
struct State {
    sync: SyncState,
    auth: AuthState,
    next_request: RequestNo,
    /// Requests without a reply yet: how to resolve each, and the message, sent again when a
    /// worker (re)starts (it may never have heard it, or its worker went away with it).
    replies: HashMap<RequestNo, (oneshot::Sender<Result<(), SyncError>>, TabMessage)>,
    listeners: Vec<(u64, Listener)>,
    next_listener: u64,
    on_tokens: Option<TokenSink>,
    hello: Option<TabMessage>,
    /// The worker runs another version of the app: its state no longer applies to this tab, and
    /// it may not understand this tab's requests.
    mismatch: Option<SyncError>,
}

struct Inner {
    state: RefCell<State>,
    send: RefCell<Option<Send>>,
    /// Closures and JS objects that must live as long as the connection (held, never read).
    #[allow(dead_code)]
    keep: RefCell<Vec<Box<dyn std::any::Any>>>,
}

/// A tab's connection to the sync worker (cheap to clone; clones share it).
#[derive(Clone)]
pub struct WorkerConnection {
    inner: Rc<Inner>,
}

impl PartialEq for WorkerConnection {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl std::fmt::Debug for WorkerConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerConnection").field("sync", &self.sync_state()).field("auth", &self.auth()).finish()
    }
}

/// Dropping it stops the listener it was returned for.
pub struct WorkerSubscription {
    connection: WorkerConnection,
    id: u64,
}

impl std::fmt::Debug for WorkerSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerSubscription").field("id", &self.id).finish()
    }
}

impl Drop for WorkerSubscription {
    fn drop(&mut self) {
        self.connection.inner.state.borrow_mut().listeners.retain(|(id, _)| *id != self.id);
    }
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // natively nothing attaches
impl WorkerConnection {
    /// A connection with no worker behind it (no server configured, or no worker support):
    /// local only and logged out; requests fail.
    pub fn detached() -> Self {
        let sync = SyncState { phase: SyncPhase::LocalOnly, ..SyncState::default() };
        let state = State { auth: AuthState::LoggedOut, sync, ..State::default() };
        Self {
            inner: Rc::new(Inner { state: RefCell::new(state), send: RefCell::new(None), keep: RefCell::default() }),
        }
    }

    /// Sets how messages leave (the transport), and keeps `keep` alive as long as the connection.
    pub(crate) fn attach(&self, send: Send, keep: Box<dyn std::any::Any>) {
        *self.inner.send.borrow_mut() = Some(send);
        self.inner.keep.borrow_mut().push(keep);
        let mut state = self.inner.state.borrow_mut();
        state.auth = AuthState::Unknown;
        state.sync = SyncState::default();
    }

    /// Keeps `keep` alive as long as the connection (closures, channels).
    pub(crate) fn keep(&self, keep: Box<dyn std::any::Any>) {
        self.inner.keep.borrow_mut().push(keep);
    }

    /// Called with every refresh token the worker asks the tab to persist.
    pub(crate) fn on_tokens(&self, f: impl Fn(Option<&str>) + 'static) {
        self.inner.state.borrow_mut().on_tokens = Some(Box::new(f));
    }

    /// Sends `hello` now and again whenever the worker (re)starts.
    pub(crate) fn hello(&self, hello: TabMessage) {
        self.send(&hello);
        self.inner.state.borrow_mut().hello = Some(hello);
    }

    /// Request numbers start at `base` (tabs sharing a `BroadcastChannel` must not collide).
    pub(crate) fn set_request_base(&self, base: RequestNo) {
        self.inner.state.borrow_mut().next_request = base;
    }

    /// What to show about sync, as the worker derived it (`LocalOnly` without a worker).
    pub fn sync_state(&self) -> SyncState {
        self.inner.state.borrow().sync.clone()
    }

    /// The session.
    pub fn auth(&self) -> AuthState {
        self.inner.state.borrow().auth.clone()
    }

    /// Whether a worker is behind this connection.
    pub fn is_attached(&self) -> bool {
        self.inner.send.borrow().is_some()
    }

    /// Calls `f` after every sync state or session change, until the subscription is dropped.
    pub fn subscribe(&self, f: impl Fn() + 'static) -> WorkerSubscription {
        let mut state = self.inner.state.borrow_mut();
        state.next_listener += 1;
        let id = state.next_listener;
        state.listeners.push((id, Rc::new(f)));
        WorkerSubscription { connection: self.clone(), id }
    }

    /// Sends a message that needs no answer.
    pub fn send(&self, message: &TabMessage) {
        if let Some(send) = self.inner.send.borrow().as_ref() {
            send(message);
        }
    }

    /// Sends the request `make(request number)` and waits for the worker's reply.
    pub async fn request(&self, make: impl FnOnce(RequestNo) -> TabMessage) -> Result<(), SyncError> {
        if let Some(refusal) = self.refusal() {
            return Err(refusal);
        }
        let (tx, rx) = oneshot::channel();
        let message = {
            let mut state = self.inner.state.borrow_mut();
            state.next_request += 1;
            let no = state.next_request;
            let message = make(no);
            state.replies.insert(no, (tx, message.clone()));
            message
        };
        self.send(&message);
        rx.await.unwrap_or(Err(SyncError::WorkerGone))
    }

    /// Why a request cannot be served, known before sending it: no worker, or a worker of another
    /// version of the app.
    pub(crate) fn refusal(&self) -> Option<SyncError> {
        if !self.is_attached() {
            return Some(SyncError::NoWorker);
        }
        self.inner.state.borrow().mismatch.clone()
    }

    /// Sends this tab's `Hello`, then its unanswered requests in order, to a worker that may not
    /// know this tab: they were sent before it listened, or lost with the worker or port that had
    /// them.
    pub(crate) fn replay(&self) {
        let state = self.inner.state.borrow();
        if let Some(send) = self.inner.send.borrow().as_ref() {
            if let Some(hello) = &state.hello {
                send(hello);
            }
            let mut unanswered: Vec<_> = state.replies.iter().map(|(no, (_, m))| (*no, m)).collect();
            unanswered.sort_by_key(|(no, _)| *no);
            for (_, message) in unanswered {
                send(message);
            }
        }
    }

    /// Handles a message from the worker.
    pub(crate) fn receive(&self, message: WorkerMessage) {
        if message == WorkerMessage::Ready {
            // A worker that knows no tab (the fallback's dedicated worker, started late or again
            // after its tab closed).
            self.replay();
            return;
        }
        let notify = {
            let mut state = self.inner.state.borrow_mut();
            match message {
                WorkerMessage::VersionMismatch { worker, tab } => {
                    let error = SyncError::VersionMismatch { tab, worker };
                    // Requests already sent may be messages that worker does not know: it would
                    // never answer them.
                    for (_, (reply, _)) in state.replies.drain() {
                        let _ = reply.send(Err(error.clone()));
                    }
                    state.mismatch = Some(error.clone());
                    state.sync = SyncState { phase: SyncPhase::Error { error }, ..SyncState::default() };
                    true
                }
                WorkerMessage::State { .. } if state.mismatch.is_some() => false,
                WorkerMessage::State { auth, sync } => {
                    let changed = state.auth != auth || state.sync != sync;
                    state.auth = auth;
                    state.sync = sync;
                    changed
                }
                WorkerMessage::Tokens { refresh_token } => {
                    if let Some(f) = &state.on_tokens {
                        f(refresh_token.as_deref());
                    }
                    false
                }
                WorkerMessage::Reply { request, error } => {
                    if let Some((tx, _)) = state.replies.remove(&request) {
                        let _ = tx.send(error.map_or(Ok(()), Err));
                    }
                    false
                }
                _ => false,
            }
        };
        if notify {
            let listeners: Vec<Listener> =
                self.inner.state.borrow().listeners.iter().map(|(_, l)| Rc::clone(l)).collect();
            for l in listeners {
                l();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn attached() -> (WorkerConnection, Rc<RefCell<Vec<TabMessage>>>) {
        let c = WorkerConnection::detached();
        let sent = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&sent);
        c.attach(Box::new(move |m| sink.borrow_mut().push(m.clone())), Box::new(()));
        (c, sent)
    }

    #[test]
    fn a_detached_connection_is_local_only_logged_out_and_refuses_requests() {
        let c = WorkerConnection::detached();
        assert_eq!(c.sync_state().phase, SyncPhase::LocalOnly);
        assert_eq!(c.auth(), AuthState::LoggedOut);
        let result = futures::executor::block_on(c.request(|request| TabMessage::Logout { request }));
        assert_eq!(result, Err(SyncError::NoWorker));
    }

    fn up_to_date() -> SyncState {
        SyncState { phase: SyncPhase::UpToDate, pending: 0, last_synced: None, vaults: vec![] }
    }

    #[test]
    fn status_and_auth_changes_reach_subscribers_until_dropped() {
        let (c, _) = attached();
        let calls = Rc::new(Cell::new(0));
        let counter = Rc::clone(&calls);
        let sub = c.subscribe(move || counter.set(counter.get() + 1));
        let logged_in = AuthState::LoggedIn { user: None };
        c.receive(WorkerMessage::State { auth: logged_in.clone(), sync: up_to_date() });
        c.receive(WorkerMessage::State { auth: logged_in.clone(), sync: up_to_date() });
        assert_eq!(
            (c.sync_state(), c.auth(), calls.get()),
            (up_to_date(), logged_in, 1),
            "session and state arrive together; an unchanged state notifies nobody"
        );
        let signed_out = SyncState { phase: SyncPhase::SignedOut, ..SyncState::default() };
        c.receive(WorkerMessage::State { auth: AuthState::LoggedOut, sync: signed_out.clone() });
        assert_eq!((c.sync_state(), c.auth(), calls.get()), (signed_out, AuthState::LoggedOut, 2));
        drop(sub);
        c.receive(WorkerMessage::State { auth: AuthState::LoggedOut, sync: up_to_date() });
        assert_eq!(calls.get(), 2);
    }

    #[test]
    fn a_worker_of_another_version_turns_the_status_into_a_plain_error_that_stays() {
        let (c, _) = attached();
        c.receive(WorkerMessage::VersionMismatch { worker: 2, tab: 1 });
        let SyncPhase::Error { error } = c.sync_state().phase else { panic!("{:?}", c.sync_state()) };
        assert_eq!(error, SyncError::VersionMismatch { tab: 1, worker: 2 });
        let words = localful_worker::explain(&error);
        assert!(words.starts_with("This page and the sync worker"), "{words}");
        assert!(words.contains("Close every other tab of this app"), "{words}");
        // The worker's broadcasts to its own tabs do not clear it.
        c.receive(WorkerMessage::State { auth: AuthState::LoggedOut, sync: up_to_date() });
        assert!(matches!(c.sync_state().phase, SyncPhase::Error { .. }));
        // Requests are refused with the same error instead of waiting for a worker that may not
        // understand them.
        assert_eq!(c.refusal(), Some(error.clone()));
        let refused = futures::executor::block_on(c.request(|request| TabMessage::Logout { request }));
        assert_eq!(refused, Err(error));
    }

    #[test]
    fn a_request_waiting_when_the_versions_turn_out_to_differ_fails_with_the_reason() {
        let (c, sent) = attached();
        let mut pending = Box::pin(c.request(|request| TabMessage::Logout { request }));
        assert!(futures::FutureExt::now_or_never(pending.as_mut()).is_none());
        assert_eq!(sent.borrow().len(), 1);
        c.receive(WorkerMessage::VersionMismatch { worker: 1, tab: 2 });
        let Err(error) = futures::executor::block_on(pending) else { panic!("answered") };
        assert_eq!(error, SyncError::VersionMismatch { tab: 2, worker: 1 });
    }

    #[test]
    fn replies_resolve_their_request_and_ready_repeats_the_hello() {
        let (c, sent) = attached();
        let hello = TabMessage::Hello {
            app_name: "app".into(),
            server_url: "http://s".into(),
            device_name: "d".into(),
            refresh_token: None,
            sync: Some(localful_core::sync::SyncConfig { debounce_ms: 900, ..Default::default() }),
            protocol: localful_worker::tab_protocol::PROTOCOL_VERSION,
        };
        c.hello(hello.clone());
        let mut pending = Box::pin(c.request(|request| TabMessage::Logout { request }));
        assert!(futures::FutureExt::now_or_never(pending.as_mut()).is_none(), "sent, waiting for the reply");
        let no = match sent.borrow().last() {
            Some(TabMessage::Logout { request }) => *request,
            other => panic!("{other:?}"),
        };
        let gone = SyncError::Server { kind: localful_core::wire::ErrorKind::AuthTokenInvalid, message: "gone".into() };
        c.receive(WorkerMessage::Reply { request: no, error: Some(gone.clone()) });
        assert_eq!(futures::executor::block_on(pending), Err(gone));
        c.receive(WorkerMessage::Ready);
        assert_eq!(sent.borrow().iter().filter(|m| **m == hello).count(), 2);
        // An unanswered request goes again after a Ready (its worker never heard it, or died),
        // after the hello; an answered one does not.
        let at = localful_core::Timestamp::from_unix_millis(0).expect("the epoch is a timestamp");
        let user = localful_core::wire::User {
            id: "0192e4c0-0000-4000-8000-000000000001".parse().expect("a UUID"),
            email: "a@b.c".into(),
            display_name: "A".into(),
            verified_at: None,
            first_verified_at: None,
            role: "user".into(),
            created_at: at,
            updated_at: at,
        };
        let tokens = localful_core::wire::Tokens { access_token: "a1".into(), refresh_token: "r0".into() };
        let mut login = Box::pin(c.request(|request| TabMessage::SignedIn { request, user, tokens }));
        assert!(futures::FutureExt::now_or_never(login.as_mut()).is_none());
        let sent_before = sent.borrow().len();
        c.receive(WorkerMessage::Ready);
        let again: Vec<_> = sent.borrow()[sent_before..].to_vec();
        assert!(matches!(again.as_slice(), [h, TabMessage::SignedIn { .. }] if *h == hello), "{again:?}");
        let no = match &again[1] {
            TabMessage::SignedIn { request, .. } => *request,
            _ => unreachable!(),
        };
        c.receive(WorkerMessage::Reply { request: no, error: None });
        assert_eq!(futures::executor::block_on(login), Ok(()));
        let sent_before = sent.borrow().len();
        c.receive(WorkerMessage::Ready);
        assert_eq!(sent.borrow()[sent_before..], *std::slice::from_ref(&hello), "nothing unanswered is left to send");
        let tokens = Rc::new(RefCell::new(Vec::new()));
        let seen = Rc::clone(&tokens);
        c.on_tokens(move |t| seen.borrow_mut().push(t.map(str::to_owned)));
        c.receive(WorkerMessage::Tokens { refresh_token: Some("r1".into()) });
        assert_eq!(*tokens.borrow(), vec![Some("r1".to_owned())]);
    }
}
