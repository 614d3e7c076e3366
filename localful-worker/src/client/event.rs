//! Events as Rust types at the edges, incoming events, and answering their acks.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures::Stream;
use futures::channel::mpsc;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::command::Command;
use crate::session::EmitError;
use crate::socketio::{Payload, PayloadError};

/// An event this client sends: its name and argument type once, instead of strings at call sites.
///
/// `Args` is sent as one argument (`()` sends none). `Ack` is read from the server's answer: its
/// only argument, `null` when there is none, or all arguments as an array when there are several.
pub trait ClientEvent {
    /// The event name on the wire.
    const NAME: &'static str;
    /// The argument.
    type Args: Serialize;
    /// The ack's content, when one is asked for.
    type Ack: DeserializeOwned;
}

/// An event the server sends.
pub trait ServerEvent {
    /// The event name on the wire.
    const NAME: &'static str;
    /// The argument, read like [`ClientEvent::Ack`].
    type Args: DeserializeOwned;
}

/// Converts a typed argument into a payload (`null`, i.e. `()`, means no argument).
pub(crate) fn args_payload<T: Serialize + ?Sized>(args: &T) -> Result<Payload, PayloadError> {
    let mut payload = Payload::from_arg(args)?;
    if payload.args.first() == Some(&Value::Null) {
        payload.args.clear();
    }
    Ok(payload)
}

/// Reads a typed value from a payload: the only argument, `null`, or all arguments.
pub(crate) fn payload_value<T: DeserializeOwned>(payload: &Payload) -> Result<T, PayloadError> {
    if payload.args.len() <= 1 { payload.arg(0) } else { payload.args() }
}

/// An event from the server.
#[derive(Debug, Clone)]
pub struct IncomingEvent {
    /// The event name.
    pub name: String,
    /// Its arguments and attachments.
    pub payload: Payload,
    /// Present when the server asked for an ack.
    pub ack: Option<AckResponder>,
}

impl IncomingEvent {
    /// Whether this is event `E`.
    pub fn is<E: ServerEvent>(&self) -> bool {
        self.name == E::NAME
    }

    /// The arguments as `E::Args` if this is event `E`.
    pub fn decode<E: ServerEvent>(&self) -> Option<Result<E::Args, PayloadError>> {
        self.is::<E>().then(|| payload_value(&self.payload))
    }
}

/// Answers one event's ack, at most once (clones share the once).
#[derive(Debug, Clone)]
pub struct AckResponder {
    pub(crate) commands: mpsc::UnboundedSender<Command>,
    pub(crate) nsp: String,
    pub(crate) id: u64,
    pub(crate) sent: Arc<AtomicBool>,
}

impl AckResponder {
    /// Answers with raw arguments. A second answer is ignored (returns `Ok`).
    pub fn respond_raw(&self, payload: Payload) -> Result<(), EmitError> {
        if self.sent.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        self.commands
            .unbounded_send(Command::Ack { nsp: self.nsp.clone(), id: self.id, payload })
            .map_err(|_| EmitError::ClientGone)
    }

    /// Answers with one typed argument (`()` answers with none).
    pub fn respond<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), EmitError> {
        let payload = args_payload(value).map_err(|e| EmitError::Payload(e.to_string()))?;
        self.respond_raw(payload)
    }
}

/// The events of one namespace, in order; dropping it unsubscribes.
#[derive(Debug)]
pub struct EventStream {
    pub(crate) rx: mpsc::UnboundedReceiver<IncomingEvent>,
}

impl Stream for EventStream {
    type Item = IncomingEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<IncomingEvent>> {
        Pin::new(&mut self.rx).poll_next(cx)
    }
}
