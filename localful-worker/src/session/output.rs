//! What the state machine asks its driver to do or to tell.

use crate::engineio::Frame;
use crate::socketio::Payload;

use super::state::{AckError, ConnectionState, SocketState};

/// One instruction or notification from the [`Session`](super::Session).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Output {
    /// Open a new WebSocket now (dropping any previous one) and report with `transport_opened`
    /// or `transport_failed`.
    Connect,
    /// Send this frame on the current WebSocket.
    Send(Frame),
    /// Close the current WebSocket (or abandon the dial) without reporting back.
    CloseTransport,
    /// Evaluate the auth payload for this namespace and hand it to `auth_ready` (or `auth_failed`).
    NeedAuth {
        /// The namespace.
        nsp: String,
    },
    /// An event from the server.
    Event {
        /// The namespace.
        nsp: String,
        /// The event name.
        name: String,
        /// Its arguments (without a connection-state-recovery offset).
        payload: Payload,
        /// The ack id to answer with `ack`, if the server wants an answer.
        ack: Option<u64>,
    },
    /// The answer (or failure) of an ack this client asked for.
    Ack {
        /// The namespace.
        nsp: String,
        /// The id returned by `emit_with_ack`.
        id: u64,
        /// The arguments of the answer, or why none will come.
        result: Result<Payload, AckError>,
    },
    /// A namespace socket changed state.
    SocketState {
        /// The namespace.
        nsp: String,
        /// The new state.
        state: SocketState,
    },
    /// The connection changed state.
    ConnectionState(ConnectionState),
}
