//! Per-namespace bookkeeping: phase, ack ids, buffers and the recovery position.

use std::collections::BTreeMap;

use crate::engineio::Frame;

use super::Instant;
use super::output::Output;

/// Where a namespace socket is in its handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Waiting for the Engine.IO session to open.
    Waiting,
    /// The driver is evaluating the auth payload.
    AwaitingAuth,
    /// CONNECT sent; waiting for the server's reply.
    AwaitingReply,
    /// Connected with this socket id.
    Connected,
    /// Not wanted any more (disconnected by either side, or refused).
    Closed,
}

/// One pending ack this client asked for.
#[derive(Debug, Clone)]
pub(crate) struct PendingAck {
    pub(crate) deadline: Option<Instant>,
    /// Whether its packet left the send buffer (only those fail on disconnect).
    pub(crate) sent: bool,
}

/// The state of one namespace on the shared connection.
#[derive(Debug)]
pub(crate) struct Namespace {
    pub(crate) phase: Phase,
    pub(crate) next_ack_id: u64,
    pub(crate) acks: BTreeMap<u64, PendingAck>,
    /// Packets (as frames) emitted while not connected, with their ack id.
    pub(crate) send_buffer: Vec<(Vec<Frame>, Option<u64>)>,
    /// Events received before the CONNECT reply.
    pub(crate) recv_buffer: Vec<Output>,
    /// The private session id for connection-state recovery, if the server offers it.
    pub(crate) pid: Option<String>,
    /// The offset of the last event received, for recovery.
    pub(crate) offset: Option<String>,
}

impl Namespace {
    /// A namespace nobody asked for yet.
    pub(crate) fn new() -> Self {
        Self {
            phase: Phase::Closed,
            next_ack_id: 0,
            acks: BTreeMap::new(),
            send_buffer: Vec::new(),
            recv_buffer: Vec::new(),
            pid: None,
            offset: None,
        }
    }

    /// Whether the client wants this namespace connected.
    pub(crate) fn wanted(&self) -> bool {
        self.phase != Phase::Closed
    }

    /// Allocates the next ack id.
    pub(crate) fn allocate_ack(&mut self, deadline: Option<Instant>) -> u64 {
        let id = self.next_ack_id;
        self.next_ack_id = self.next_ack_id.wrapping_add(1);
        self.acks.insert(id, PendingAck { deadline, sent: false });
        id
    }
}
