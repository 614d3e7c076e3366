//! Time and the connection's life: deadlines, dialing, backoff, losing and closing.

use super::{Conn, Session};
use crate::session::namespace::{Namespace, Phase};
use crate::session::output::Output;
use crate::session::state::{AckError, ConnectError, ConnectionState, DisconnectReason, SocketState};
use crate::session::Instant;

impl Session {
    /// Does whatever is due at `now`: a missed heartbeat, a backoff that elapsed, a handshake
    /// that took too long, acks that timed out. Call it after every wake-up.
    pub fn handle_timeout(&mut self, now: Instant) {
        match &self.conn {
            Conn::Open { heartbeat, .. } if heartbeat.expired(now) => {
                self.outputs.push_back(Output::CloseTransport);
                self.connection_lost(DisconnectReason::PingTimeout, now);
            }
            Conn::Dialing { deadline } | Conn::Handshaking { deadline } if now >= *deadline => {
                self.outputs.push_back(Output::CloseTransport);
                self.connection_lost(DisconnectReason::TransportError("connect timeout".into()), now);
            }
            Conn::Waiting { until } if now >= *until => self.dial(now),
            _ => {}
        }
        let mut expired = Vec::new();
        for (nsp, ns) in &mut self.namespaces {
            ns.acks.retain(|id, ack| {
                let due = ack.deadline.is_some_and(|d| now >= d);
                if due {
                    expired.push((nsp.clone(), *id));
                }
                !due
            });
        }
        for (nsp, id) in expired {
            self.outputs.push_back(Output::Ack { nsp, id, result: Err(AckError::Timeout) });
        }
    }

    // ----- internals -----

    pub(super) fn dial(&mut self, now: Instant) {
        self.assembler.reset();
        self.outputs.push_back(Output::Connect);
        let attempt = self.attempt;
        self.set_conn(
            Conn::Dialing { deadline: now + self.config.connect_timeout },
            Some(ConnectionState::Connecting { attempt }),
        );
        for ns in self.namespaces.values_mut().filter(|ns| ns.wanted()) {
            ns.phase = Phase::Waiting;
        }
    }

    pub(super) fn request_auth(&mut self, nsp: &str) {
        if let Some(ns) = self.namespaces.get_mut(nsp) {
            ns.phase = Phase::AwaitingAuth;
            self.outputs.push_back(Output::NeedAuth { nsp: nsp.to_owned() });
        }
    }

    pub(super) fn refuse(&mut self, nsp: &str, error: ConnectError) {
        let Some(ns) = self.namespaces.get_mut(nsp) else { return };
        if !ns.wanted() {
            return;
        }
        ns.phase = Phase::Closed;
        ns.recv_buffer.clear();
        ns.send_buffer.clear();
        let acks = std::mem::take(&mut ns.acks);
        for id in acks.into_keys() {
            self.outputs.push_back(Output::Ack { nsp: nsp.to_owned(), id, result: Err(AckError::Disconnected) });
        }
        self.state(nsp, SocketState::Refused(error));
        self.close_if_unused(DisconnectReason::ServerDisconnect);
    }

    /// Marks a namespace disconnected; `will_reconnect` keeps it wanted.
    pub(super) fn end_namespace(&mut self, nsp: &str, reason: DisconnectReason, will_reconnect: bool) {
        let Some(ns) = self.namespaces.get_mut(nsp) else { return };
        ns.recv_buffer.clear();
        ns.phase = if will_reconnect { Phase::Waiting } else { Phase::Closed };
        let failed: Vec<u64> = ns.acks.iter().filter(|(_, a)| a.sent || !will_reconnect).map(|(id, _)| *id).collect();
        for id in &failed {
            ns.acks.remove(id);
        }
        if !will_reconnect {
            ns.send_buffer.clear();
        }
        for id in failed {
            self.outputs.push_back(Output::Ack { nsp: nsp.to_owned(), id, result: Err(AckError::Disconnected) });
        }
        self.state(nsp, SocketState::Disconnected { reason, will_reconnect });
    }

    /// Closes the connection for good when no namespace is wanted any more.
    pub(super) fn close_if_unused(&mut self, reason: DisconnectReason) {
        if self.namespaces.values().any(Namespace::wanted) {
            return;
        }
        if !matches!(self.conn, Conn::Closed | Conn::Idle) {
            self.outputs.push_back(Output::CloseTransport);
            self.assembler.reset();
            self.set_conn(Conn::Closed, Some(ConnectionState::Closed { reason }));
        }
    }

    /// The connection ended unexpectedly: tell the namespaces, then back off or give up.
    pub(super) fn connection_lost(&mut self, reason: DisconnectReason, now: Instant) {
        self.assembler.reset();
        let reconnect = self.config.reconnection
            && self.config.reconnection_attempts.is_none_or(|max| self.attempt < max)
            && self.namespaces.values().any(Namespace::wanted);
        let wanted: Vec<String> = self.namespaces.iter().filter(|(_, ns)| ns.wanted()).map(|(n, _)| n.clone()).collect();
        for nsp in wanted {
            let connected = self.namespaces.get(&nsp).is_some_and(|ns| ns.phase != Phase::Waiting);
            if connected || !reconnect {
                self.end_namespace(&nsp, reason.clone(), reconnect);
            }
        }
        if reconnect {
            let delay = self.config.backoff.delay(self.attempt, self.jitter.next_f64());
            self.attempt = self.attempt.saturating_add(1);
            let attempt = self.attempt;
            self.set_conn(
                Conn::Waiting { until: now + delay },
                Some(ConnectionState::Reconnecting { attempt, delay, reason }),
            );
        } else {
            self.set_conn(Conn::Closed, Some(ConnectionState::Closed { reason }));
        }
    }

    pub(super) fn set_conn(&mut self, conn: Conn, state: Option<ConnectionState>) {
        self.conn = conn;
        if let Some(state) = state {
            self.outputs.push_back(Output::ConnectionState(state));
        }
    }

    pub(super) fn state(&mut self, nsp: &str, state: SocketState) {
        self.outputs.push_back(Output::SocketState { nsp: nsp.to_owned(), state });
    }
}
