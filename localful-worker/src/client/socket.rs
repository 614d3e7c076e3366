//! One namespace on the client's connection.

use std::sync::Arc;
use std::time::Duration;

use futures::channel::{mpsc, oneshot};
use futures::{Stream, StreamExt, future};
use tokio::sync::watch;

use super::command::Command;
use super::event::{AckResponder, ClientEvent, EventStream, ServerEvent, args_payload, payload_value};
use super::shared::Shared;
use crate::session::{AckError, EmitError, SocketState};
use crate::socketio::{Payload, PayloadError};

/// A namespace socket. Cheap to clone; all clones are the same socket.
#[derive(Clone)]
pub struct Socket {
    nsp: String,
    commands: mpsc::UnboundedSender<Command>,
    shared: Arc<Shared>,
    state: watch::Receiver<SocketState>,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket").field("nsp", &self.nsp).field("state", &self.state()).finish()
    }
}

impl Socket {
    pub(crate) fn new(
        nsp: String,
        commands: mpsc::UnboundedSender<Command>,
        shared: Arc<Shared>,
        state: watch::Receiver<SocketState>,
    ) -> Self {
        Self { nsp, commands, shared, state }
    }

    /// The namespace.
    pub fn nsp(&self) -> &str {
        &self.nsp
    }

    /// The current state.
    pub fn state(&self) -> SocketState {
        self.state.borrow().clone()
    }

    /// A receiver that sees every change of this socket's state.
    pub fn watch_state(&self) -> watch::Receiver<SocketState> {
        self.state.clone()
    }

    /// Waits until the socket is connected (returns its sid) or will not connect by itself
    /// (returns that state: refused, or disconnected without reconnection).
    pub async fn wait_connected(&self) -> Result<String, SocketState> {
        let mut rx = self.state.clone();
        loop {
            let state = rx.borrow_and_update().clone();
            match state {
                SocketState::Connected { sid, .. } => return Ok(sid),
                SocketState::Refused(_) | SocketState::Disconnected { will_reconnect: false, .. } => {
                    return Err(state);
                }
                _ => {}
            }
            if rx.changed().await.is_err() {
                return Err(rx.borrow().clone());
            }
        }
    }

    /// Every event of this namespace from now on (plus those nobody heard yet).
    pub fn events(&self) -> EventStream {
        EventStream { rx: self.shared.subscribe(&self.nsp) }
    }

    /// Every event `E` from now on, decoded, with its ack responder when the server wants one.
    /// An event named `E::NAME` whose arguments do not fit `E::Args` comes as an `Err`.
    pub fn on<E: ServerEvent>(&self) -> impl Stream<Item = Result<(E::Args, Option<AckResponder>), PayloadError>> + use<E> {
        self.events().filter_map(|event| {
            future::ready(event.decode::<E>().map(|args| args.map(|args| (args, event.ack.clone()))))
        })
    }

    /// Connects again after a refusal or a disconnect (the auth payload is evaluated again).
    pub fn connect(&self) {
        self.shared.reopening(&self.nsp);
        let _ = self.commands.unbounded_send(Command::Open(self.nsp.clone()));
    }

    /// Leaves the namespace (the connection closes when it was the last one).
    pub fn disconnect(&self) {
        let _ = self.commands.unbounded_send(Command::Close(self.nsp.clone()));
    }

    /// Emits event `E`. Resolves once the packet is sent or buffered (while not connected).
    pub async fn emit<E: ClientEvent>(&self, args: &E::Args) -> Result<(), EmitError> {
        let payload = args_payload(args).map_err(|e| EmitError::Payload(e.to_string()))?;
        self.emit_raw(E::NAME, payload).await
    }

    /// Emits event `E` and waits for the server's ack, at most `timeout` from now.
    pub async fn emit_with_ack<E: ClientEvent>(&self, args: &E::Args, timeout: Duration) -> Result<E::Ack, AckError> {
        let payload = args_payload(args).map_err(|e| EmitError::Payload(e.to_string()))?;
        let answer = self.emit_raw_with_ack(E::NAME, payload, Some(timeout)).await?;
        payload_value(&answer).map_err(|e| AckError::Emit(EmitError::Payload(e.to_string())))
    }

    /// Emits an event by name with raw arguments.
    pub async fn emit_raw(&self, name: &str, payload: Payload) -> Result<(), EmitError> {
        let (done, result) = oneshot::channel();
        let command = Command::Emit { nsp: self.nsp.clone(), name: name.to_owned(), payload, ack: None, done: Some(done) };
        self.commands.unbounded_send(command).map_err(|_| EmitError::ClientGone)?;
        result.await.unwrap_or(Err(EmitError::ClientGone))
    }

    /// Emits an event by name with raw arguments and waits for the ack (`None`: no timeout).
    pub async fn emit_raw_with_ack(
        &self,
        name: &str,
        payload: Payload,
        timeout: Option<Duration>,
    ) -> Result<Payload, AckError> {
        let (ack, answer) = oneshot::channel();
        let command =
            Command::Emit { nsp: self.nsp.clone(), name: name.to_owned(), payload, ack: Some((timeout, ack)), done: None };
        self.commands.unbounded_send(command).map_err(|_| EmitError::ClientGone)?;
        answer.await.unwrap_or(Err(AckError::Emit(EmitError::ClientGone)))
    }
}
