//! State shared between the handles and the background task (never locked across an await).

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use futures::channel::mpsc;
use tokio::sync::watch;

use super::event::IncomingEvent;
use crate::session::{ConnectionState, SocketState};

/// One namespace's watchers and subscribers.
pub(crate) struct NamespaceShared {
    pub(crate) state: watch::Sender<SocketState>,
    pub(crate) subscribers: Vec<mpsc::UnboundedSender<IncomingEvent>>,
    /// Events that arrived while nobody listened, handed to the first subscriber.
    pub(crate) backlog: VecDeque<IncomingEvent>,
}

/// How many unheard events a namespace keeps for its first subscriber.
const BACKLOG: usize = 1024;

/// Everything a handle can read without asking the task.
pub(crate) struct Shared {
    pub(crate) connection: watch::Sender<ConnectionState>,
    pub(crate) namespaces: Mutex<BTreeMap<String, NamespaceShared>>,
}

impl Shared {
    pub(crate) fn new() -> Self {
        Self { connection: watch::Sender::new(ConnectionState::Idle), namespaces: Mutex::new(BTreeMap::new()) }
    }

    fn with_namespace<T>(&self, nsp: &str, f: impl FnOnce(&mut NamespaceShared) -> T) -> T {
        let mut map = self.namespaces.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = map.entry(nsp.to_owned()).or_insert_with(|| NamespaceShared {
            state: watch::Sender::new(SocketState::Connecting),
            subscribers: Vec::new(),
            backlog: VecDeque::new(),
        });
        f(entry)
    }

    /// A receiver of the namespace's state (creating its entry).
    pub(crate) fn namespace_state(&self, nsp: &str) -> watch::Receiver<SocketState> {
        self.with_namespace(nsp, |ns| ns.state.subscribe())
    }

    /// Marks a socket that will not reconnect by itself as connecting again (before the task
    /// hears of it, so a waiter does not see the old final state).
    pub(crate) fn reopening(&self, nsp: &str) {
        self.with_namespace(nsp, |ns| {
            ns.state.send_if_modified(|state| {
                let done = matches!(state, SocketState::Refused(_) | SocketState::Disconnected { will_reconnect: false, .. });
                if done {
                    *state = SocketState::Connecting;
                }
                done
            });
        });
    }

    pub(crate) fn set_state(&self, nsp: &str, state: SocketState) {
        self.with_namespace(nsp, |ns| {
            ns.state.send_replace(state);
        });
    }

    pub(crate) fn subscribe(&self, nsp: &str) -> mpsc::UnboundedReceiver<IncomingEvent> {
        let (tx, rx) = mpsc::unbounded();
        self.with_namespace(nsp, |ns| {
            for event in ns.backlog.drain(..) {
                let _ = tx.unbounded_send(event);
            }
            ns.subscribers.push(tx);
        });
        rx
    }

    /// Delivers an event to every live subscriber; dropped ones are forgotten.
    pub(crate) fn deliver(&self, nsp: &str, event: IncomingEvent) {
        self.with_namespace(nsp, |ns| {
            ns.subscribers.retain(|tx| tx.unbounded_send(event.clone()).is_ok());
            if ns.subscribers.is_empty() {
                if ns.backlog.len() == BACKLOG {
                    ns.backlog.pop_front();
                }
                ns.backlog.push_back(event);
            }
        });
    }
}
