//! The client session as a pure state machine: heartbeat, namespaces, acks and reconnection.
//!
//! [`Session`] owns no socket and no timer. Its driver feeds it frames, transport events and the
//! current [`Instant`], and carries out the [`Output`]s it produces (dial, send, close, ask for an
//! auth payload, deliver an event). Time only enters as instants, so every deadline (heartbeat,
//! backoff, ack timeouts) is tested natively in microseconds.
//!
//! Behaviour follows the official JavaScript client (socket.io-client 4.8):
//! - the server's ping `2` is answered with `3` whenever it comes, including before a CONNECT reply;
//!   a connection without a ping for `pingInterval + pingTimeout` is dead;
//! - events emitted while a namespace is not connected are buffered and sent after its CONNECT
//!   reply; events received before that reply are delivered right after it;
//! - after an unexpected close, reconnection waits a jittered exponential backoff (1 s doubling to
//!   5 s, ±50 %) and asks again for every namespace's auth payload; a server `DISCONNECT` or
//!   `CONNECT_ERROR` ends that namespace for good, and the connection when it was the last one;
//! - with connection-state recovery, the server's `pid` and the last event offset are sent back in
//!   the next CONNECT; the offset the server appends to each event is removed from its arguments.

mod backoff;
mod instant;
mod machine;
mod namespace;
mod output;
mod state;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

pub use backoff::{Backoff, Jitter};
pub use instant::{Clock, Instant};
pub use machine::{Session, SessionConfig};
pub use output::Output;
pub use state::{
    AckError, ConnectError, ConnectionState, DisconnectReason, EmitError, RESERVED_EVENTS, SocketState,
};
