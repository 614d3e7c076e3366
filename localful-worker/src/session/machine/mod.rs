//! The session state machine: one Engine.IO connection, many namespaces, heartbeat, acks and
//! reconnection. Pure: frames and instants go in, [`Output`]s come out.
//!
//! The `impl Session` is split by concern: `commands` (what the user asks), `receive` (what the
//! transport reports), `lifecycle` (time, dialing, losing and closing the connection).

mod commands;
mod lifecycle;
mod receive;

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use crate::engineio::Heartbeat;
use crate::socketio::BinaryAssembler;

use super::Instant;
use super::backoff::{Backoff, Jitter};
use super::namespace::{Namespace, Phase};
use super::output::Output;

/// How the session behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionConfig {
    /// Whether to reconnect after an unexpected close.
    pub reconnection: bool,
    /// Give up after this many reconnection attempts (`None`: never).
    pub reconnection_attempts: Option<u32>,
    /// The reconnection backoff.
    pub backoff: Backoff,
    /// How long dialing plus the open packet may take.
    pub connect_timeout: Duration,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            reconnection: true,
            reconnection_attempts: None,
            backoff: Backoff::default(),
            connect_timeout: Duration::from_secs(20),
        }
    }
}

#[derive(Debug, Clone)]
enum Conn {
    Idle,
    Dialing { deadline: Instant },
    Handshaking { deadline: Instant },
    Open { heartbeat: Heartbeat },
    Waiting { until: Instant },
    Closed,
}

/// The socket.io client session without IO. See the module docs of [`crate::session`].
#[derive(Debug)]
pub struct Session {
    config: SessionConfig,
    conn: Conn,
    /// Reconnection attempts since the last successful open.
    attempt: u32,
    jitter: Jitter,
    namespaces: BTreeMap<String, Namespace>,
    assembler: BinaryAssembler,
    outputs: VecDeque<Output>,
    max_payload: Option<u64>,
}

impl Session {
    /// A new idle session; `seed` feeds the backoff jitter.
    pub fn new(config: SessionConfig, seed: u64) -> Self {
        Self {
            config,
            conn: Conn::Idle,
            attempt: 0,
            jitter: Jitter::new(seed),
            namespaces: BTreeMap::new(),
            assembler: BinaryAssembler::new(),
            outputs: VecDeque::new(),
            max_payload: None,
        }
    }

    /// The next instruction or notification, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// The earliest instant at which [`handle_timeout`](Self::handle_timeout) has work.
    pub fn next_deadline(&self) -> Option<Instant> {
        let conn = match &self.conn {
            Conn::Dialing { deadline } | Conn::Handshaking { deadline } => Some(*deadline),
            Conn::Open { heartbeat, .. } => Some(heartbeat.deadline()),
            Conn::Waiting { until } => Some(*until),
            Conn::Idle | Conn::Closed => None,
        };
        let acks = self.namespaces.values().flat_map(|ns| ns.acks.values().filter_map(|a| a.deadline)).min();
        [conn, acks].into_iter().flatten().min()
    }

    /// Whether the namespace is connected.
    pub fn is_connected(&self, nsp: &str) -> bool {
        self.namespaces.get(nsp).is_some_and(|ns| ns.phase == Phase::Connected)
    }
}
