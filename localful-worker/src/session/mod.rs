//! The client session as a pure state machine: heartbeat, namespaces, acks and reconnection.
//!
//! [`Session`] owns no socket and no timer. Its driver feeds it frames, transport events and the
//! current [`Instant`], and carries out the [`Output`]s it produces (dial, send, close, ask for an
//! auth payload, deliver an event). Time only enters as instants, so every deadline (heartbeat,
//! backoff, ack timeouts) is tested natively in microseconds. The driver reads those instants from
//! a [`Clock`] and waits for deadlines through it: [`SystemClock`] by default, a [`ManualClock`]
//! in tests that must not depend on the wall clock.
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
//!
//! ```
//! use localful_worker::engineio::Frame;
//! use localful_worker::session::{Instant, Output, Session, SessionConfig};
//!
//! let mut session = Session::new(SessionConfig::default(), 42);
//! let t = Instant::from_millis;
//! let drain = |s: &mut Session| std::iter::from_fn(|| s.poll_output()).collect::<Vec<_>>();
//! let text = |t: &str| Output::Send(Frame::Text(t.into()));
//!
//! session.open_namespace("/sync", t(0));
//! assert!(drain(&mut session).contains(&Output::Connect)); // dial the WebSocket
//! session.transport_opened(t(5));
//! let open = r#"0{"sid":"e","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
//! session.frame(Frame::Text(open.into()), t(6));
//! assert!(drain(&mut session).contains(&Output::NeedAuth { nsp: "/sync".into() }));
//! session.auth_ready("/sync", serde_json::json!({"ticket": "t"}), t(7));
//! assert_eq!(drain(&mut session), vec![text(r#"40/sync,{"ticket":"t"}"#)]);
//! // the server pings before it answers CONNECT: answered at once
//! session.frame(Frame::Text("2".into()), t(8));
//! assert_eq!(drain(&mut session), vec![text("3")]);
//! // no ping for pingInterval + pingTimeout: dead, by the clock
//! session.handle_timeout(t(8 + 45_000));
//! assert!(drain(&mut session).contains(&Output::CloseTransport));
//! ```

mod backoff;
mod instant;
mod machine;
mod manual_clock;
mod namespace;
mod output;
mod state;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

pub use backoff::{Backoff, Jitter};
pub use crate::runtime::SystemClock;
pub use instant::{Clock, Instant, SharedClock};
pub use manual_clock::ManualClock;
pub use machine::{Session, SessionConfig};
pub use output::Output;
pub use state::{
    AckError, ConnectError, ConnectionState, DisconnectReason, EmitError, RESERVED_EVENTS, SocketState,
};
