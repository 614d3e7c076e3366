//! The states a user can watch, and why a connection ended.

use std::time::Duration;

use serde_json::Value;

/// Why a connection or a namespace socket ended (the official client's `disconnect` reasons).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DisconnectReason {
    /// The server disconnected the socket (`socket.disconnect()`): no automatic reconnection.
    ServerDisconnect,
    /// This client disconnected it.
    ClientDisconnect,
    /// No ping arrived within `pingInterval + pingTimeout`.
    PingTimeout,
    /// The WebSocket closed (server restart, network loss, `disconnect(true)`, frame too large, …).
    TransportClose,
    /// The WebSocket could not be opened or failed.
    TransportError(String),
    /// The server sent something that is not Engine.IO v4 / Socket.IO v5.
    ParseError(String),
    /// The auth provider failed; it is asked again on the next attempt.
    AuthUnavailable(String),
}

/// The server refused a namespace: the `CONNECT_ERROR` packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectError {
    /// The error message (`err.message` on the server).
    pub message: String,
    /// The extra data (`err.data` on the server), if any.
    pub data: Option<Value>,
}

/// The state of the one connection (Engine.IO session) shared by all namespaces.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// Nothing to connect: no namespace was opened yet.
    Idle,
    /// Dialing or waiting for the open packet; `attempt` counts reconnections (0 for the first).
    Connecting {
        /// Reconnection attempts since the last successful open.
        attempt: u32,
    },
    /// The Engine.IO session is open.
    Open {
        /// The Engine.IO session id.
        sid: String,
    },
    /// Waiting `delay` before reconnection attempt `attempt`.
    Reconnecting {
        /// The attempt about to be made (1 for the first reconnection).
        attempt: u32,
        /// The jittered backoff delay.
        delay: Duration,
        /// Why the previous connection ended or failed.
        reason: DisconnectReason,
    },
    /// Closed, with no reconnection planned (until a namespace is opened again).
    Closed {
        /// Why.
        reason: DisconnectReason,
    },
}

/// The state of one namespace socket.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SocketState {
    /// Waiting for the connection, the auth payload or the server's CONNECT reply.
    Connecting,
    /// Connected to the namespace.
    Connected {
        /// The socket id.
        sid: String,
        /// Whether the server restored the previous session (connection-state recovery).
        recovered: bool,
    },
    /// Disconnected; `will_reconnect` says whether the client will try again by itself.
    Disconnected {
        /// Why.
        reason: DisconnectReason,
        /// Whether a reconnection will follow.
        will_reconnect: bool,
    },
    /// The server refused the CONNECT (`CONNECT_ERROR`): no automatic retry.
    Refused(ConnectError),
}

/// An ack that will not come.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AckError {
    /// The timeout passed.
    #[error("ack timed out")]
    Timeout,
    /// The socket disconnected after the packet was sent.
    #[error("socket disconnected before the ack")]
    Disconnected,
    /// The packet could not be sent.
    #[error(transparent)]
    Emit(#[from] EmitError),
}

/// A packet that cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// The namespace socket is closed (never opened, disconnected by either side, or refused).
    #[error("socket is closed")]
    SocketClosed,
    /// The event name is one the protocol reserves (`connect`, `disconnect`, …).
    #[error("event name {0:?} is reserved")]
    ReservedName(String),
    /// A frame exceeds the server's `maxPayload`; it would close the connection.
    #[error("frame of {size} bytes exceeds the server's limit of {max}")]
    TooLarge {
        /// The frame size.
        size: usize,
        /// The server's limit.
        max: u64,
    },
    /// The payload could not be serialized.
    #[error("cannot serialize payload: {0}")]
    Payload(String),
    /// The client is gone.
    #[error("client is shut down")]
    ClientGone,
}

/// Event names the protocol reserves; emitting them is an error.
pub const RESERVED_EVENTS: &[&str] =
    &["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];
