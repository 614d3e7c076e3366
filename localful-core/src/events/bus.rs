//! The local event bus, forwarding to and from the cross-context channel.

use super::ChangeEvent;
use super::channel::Channel;
use super::listeners::Listeners;
use futures::channel::mpsc;
use futures::Stream;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

struct Inner {
    listeners: Rc<Listeners>,
    channel: Option<Channel>,
}

/// The event bus: every write emits here; listeners in this context are called synchronously, and
/// the event is posted on the `BroadcastChannel` (wasm) so other tabs and the worker receive it.
/// Events arriving from the channel are delivered to this bus's listeners too.
///
/// Clones share listeners and channel.
///
/// ```
/// use localful_core::{ChangeEvent, EventBus, VaultAction, VaultId};
/// use std::{cell::RefCell, rc::Rc};
/// let bus = EventBus::local();
/// let seen = Rc::new(RefCell::new(Vec::new()));
/// let sink = seen.clone();
/// let sub = bus.subscribe(move |e| sink.borrow_mut().push(e.clone()));
/// let event = ChangeEvent::Vault { vault: VaultId::new(), action: VaultAction::Opened };
/// bus.emit(&event);
/// drop(sub); // unsubscribes
/// bus.emit(&event);
/// assert_eq!(*seen.borrow(), vec![event]);
/// ```
#[derive(Clone)]
pub struct EventBus {
    inner: Rc<Inner>,
}

impl std::fmt::Debug for EventBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventBus").field("channel", &self.inner.channel.is_some()).finish_non_exhaustive()
    }
}

impl EventBus {
    /// A bus for this context only (no `BroadcastChannel`).
    pub fn local() -> Self {
        Self { inner: Rc::new(Inner { listeners: Rc::default(), channel: None }) }
    }

    /// A bus joined to the `BroadcastChannel` `name` (on wasm; natively this is [`local`](Self::local)).
    /// Falls back to a local bus if the channel cannot be opened.
    pub fn with_channel(name: &str) -> Self {
        let listeners: Rc<Listeners> = Rc::default();
        let channel = Channel::open(name, Rc::downgrade(&listeners));
        Self { inner: Rc::new(Inner { listeners, channel }) }
    }

    /// Whether the bus is joined to a cross-context channel.
    pub fn is_broadcasting(&self) -> bool {
        self.inner.channel.is_some()
    }

    /// Delivers `event` to this context's listeners and posts it to other contexts.
    pub fn emit(&self, event: &ChangeEvent) {
        self.inner.listeners.dispatch(event);
        if let Some(channel) = &self.inner.channel {
            channel.post(event);
        }
    }

    /// Calls `listener` for every event until the returned [`Subscription`] is dropped.
    pub fn subscribe(&self, listener: impl Fn(&ChangeEvent) + 'static) -> Subscription {
        let id = self.inner.listeners.add(Rc::new(listener));
        Subscription { listeners: Rc::downgrade(&self.inner.listeners), id }
    }

    /// The events from now on as a [`Stream`]; dropping the stream unsubscribes.
    pub fn stream(&self) -> EventStream {
        let (tx, rx) = mpsc::unbounded();
        let subscription = self.subscribe(move |e| {
            let _ = tx.unbounded_send(e.clone());
        });
        EventStream { rx, _subscription: subscription }
    }
}

/// A listener registration; dropping it unsubscribes.
#[must_use = "dropping a Subscription unsubscribes at once"]
#[derive(Debug)]
pub struct Subscription {
    listeners: Weak<Listeners>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(listeners) = self.listeners.upgrade() {
            listeners.remove(self.id);
        }
    }
}

/// A [`Stream`] of events (see [`EventBus::stream`]).
#[derive(Debug)]
pub struct EventStream {
    rx: mpsc::UnboundedReceiver<ChangeEvent>,
    _subscription: Subscription,
}

impl Stream for EventStream {
    type Item = ChangeEvent;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ChangeEvent>> {
        Pin::new(&mut self.rx).poll_next(cx)
    }
}
