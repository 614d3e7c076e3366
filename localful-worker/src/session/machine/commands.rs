//! What the user asks of the session: namespaces, emits, acks, auth payloads.

use std::time::Duration;

use serde_json::{Map, Value};

use super::{Conn, Session};
use crate::engineio::Frame;
use crate::session::namespace::{Namespace, Phase};
use crate::session::output::Output;
use crate::session::state::{ConnectError, ConnectionState, DisconnectReason, EmitError, RESERVED_EVENTS, SocketState};
use crate::session::Instant;
use crate::socketio::{self, Packet, PacketKind, Payload};

impl Session {
    /// Asks for a namespace socket (again, after a refusal or a disconnect); the auth payload is
    /// requested through [`Output::NeedAuth`] once the connection is open.
    pub fn open_namespace(&mut self, nsp: &str, now: Instant) {
        let ns = self.namespaces.entry(nsp.to_owned()).or_insert_with(Namespace::new);
        if ns.wanted() {
            return;
        }
        ns.phase = Phase::Waiting;
        self.state(nsp, SocketState::Connecting);
        match self.conn {
            Conn::Idle | Conn::Closed => {
                self.attempt = 0;
                self.dial(now);
            }
            Conn::Open { .. } => self.request_auth(nsp),
            Conn::Dialing { .. } | Conn::Handshaking { .. } | Conn::Waiting { .. } => {}
        }
    }

    /// Cuts a reconnection backoff short: while waiting for the next attempt, attempts it now
    /// (the attempt count, and so the next backoff, is kept). Otherwise does nothing.
    pub fn retry_now(&mut self, now: Instant) {
        if matches!(self.conn, Conn::Waiting { .. }) {
            self.dial(now);
        }
    }

    /// Leaves a namespace (sends DISCONNECT if connected); closes the connection when it was the last.
    pub fn close_namespace(&mut self, nsp: &str, _now: Instant) {
        let Some(ns) = self.namespaces.get_mut(nsp) else { return };
        if !ns.wanted() {
            return;
        }
        if ns.phase == Phase::Connected || ns.phase == Phase::AwaitingReply {
            let packet = Packet::new(PacketKind::Disconnect, nsp, None);
            self.outputs.extend(socketio::encode(packet, vec![]).into_iter().map(Output::Send));
        }
        self.end_namespace(nsp, DisconnectReason::ClientDisconnect, false);
        self.close_if_unused(DisconnectReason::ClientDisconnect);
    }

    /// Leaves every namespace and closes the connection for good.
    pub fn close(&mut self, now: Instant) {
        let names: Vec<String> = self.namespaces.keys().cloned().collect();
        for nsp in names {
            self.close_namespace(&nsp, now);
        }
        if !matches!(self.conn, Conn::Closed) {
            self.outputs.push_back(Output::CloseTransport);
            self.set_conn(Conn::Closed, Some(ConnectionState::Closed { reason: DisconnectReason::ClientDisconnect }));
        }
    }

    /// The auth payload for `nsp` (a JSON object or null): sends its CONNECT.
    pub fn auth_ready(&mut self, nsp: &str, auth: Value, _now: Instant) {
        let Some(ns) = self.namespaces.get_mut(nsp) else { return };
        if ns.phase != Phase::AwaitingAuth || !matches!(self.conn, Conn::Open { .. }) {
            return;
        }
        let mut data = match auth {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            _ => {
                let error = ConnectError { message: "auth payload must be a JSON object".into(), data: None };
                ns.phase = Phase::Closed;
                self.state(nsp, SocketState::Refused(error));
                self.close_if_unused(DisconnectReason::ClientDisconnect);
                return;
            }
        };
        if let Some(pid) = &ns.pid {
            data.insert("pid".into(), Value::String(pid.clone()));
            data.insert("offset".into(), ns.offset.clone().map_or(Value::Null, Value::String));
        }
        let data = if data.is_empty() { None } else { Some(Value::Object(data)) };
        ns.phase = Phase::AwaitingReply;
        let packet = Packet::new(PacketKind::Connect, nsp, data);
        self.outputs.extend(socketio::encode(packet, vec![]).into_iter().map(Output::Send));
    }

    /// The auth provider failed: the connection is closed and retried with backoff.
    pub fn auth_failed(&mut self, nsp: &str, message: String, now: Instant) {
        let awaiting = self.namespaces.get(nsp).is_some_and(|ns| ns.phase == Phase::AwaitingAuth);
        if awaiting && matches!(self.conn, Conn::Open { .. }) {
            self.outputs.push_back(Output::CloseTransport);
            self.connection_lost(DisconnectReason::AuthUnavailable(message), now);
        }
    }

    /// Emits an event without ack.
    pub fn emit(&mut self, nsp: &str, name: &str, payload: Payload, now: Instant) -> Result<(), EmitError> {
        self.send_event(nsp, name, payload, None, now).map(|_| ())
    }

    /// Emits an event asking for an ack; its answer comes as [`Output::Ack`] with the returned id.
    pub fn emit_with_ack(
        &mut self,
        nsp: &str,
        name: &str,
        payload: Payload,
        timeout: Option<Duration>,
        now: Instant,
    ) -> Result<u64, EmitError> {
        self.send_event(nsp, name, payload, Some(timeout), now).map(|id| id.unwrap_or_default())
    }

    /// Answers an event the server sent with an ack id.
    pub fn ack(&mut self, nsp: &str, id: u64, payload: Payload) -> Result<(), EmitError> {
        let packet = Packet { kind: PacketKind::Ack, nsp: nsp.to_owned(), id: Some(id), data: Some(Value::Array(payload.args)), attachments: 0 };
        let frames = socketio::encode(packet, payload.attachments);
        self.check_size(&frames)?;
        let ns = self.namespaces.get_mut(nsp).ok_or(EmitError::SocketClosed)?;
        match ns.phase {
            Phase::Connected => self.outputs.extend(frames.into_iter().map(Output::Send)),
            Phase::Closed => return Err(EmitError::SocketClosed),
            _ => ns.send_buffer.push((frames, None)),
        }
        Ok(())
    }

    pub(super) fn send_event(
        &mut self,
        nsp: &str,
        name: &str,
        payload: Payload,
        ack: Option<Option<Duration>>,
        now: Instant,
    ) -> Result<Option<u64>, EmitError> {
        if RESERVED_EVENTS.contains(&name) {
            return Err(EmitError::ReservedName(name.to_owned()));
        }
        let mut data = Vec::with_capacity(payload.args.len() + 1);
        data.push(Value::String(name.to_owned()));
        data.extend(payload.args);
        let mut packet = Packet::new(PacketKind::Event, nsp, Some(Value::Array(data)));
        // Probe the size with the largest id this packet could carry.
        packet.id = ack.map(|_| u64::MAX);
        let frames = socketio::encode(packet.clone(), payload.attachments.clone());
        self.check_size(&frames)?;
        let ns = self.namespaces.get_mut(nsp).filter(|ns| ns.wanted()).ok_or(EmitError::SocketClosed)?;
        let id = ack.map(|timeout| ns.allocate_ack(timeout.map(|t| now + t)));
        packet.id = id;
        let frames = socketio::encode(packet, payload.attachments);
        if ns.phase == Phase::Connected {
            if let Some(pending) = id.and_then(|id| ns.acks.get_mut(&id)) {
                pending.sent = true;
            }
            self.outputs.extend(frames.into_iter().map(Output::Send));
        } else {
            ns.send_buffer.push((frames, id));
        }
        Ok(id)
    }

    pub(super) fn check_size(&self, frames: &[Frame]) -> Result<(), EmitError> {
        let Some(max) = self.max_payload else { return Ok(()) };
        // The Engine.IO text frame carries the packet; binary frames count on their own.
        match frames.iter().map(Frame::len).max() {
            Some(size) if size as u64 > max => Err(EmitError::TooLarge { size, max }),
            _ => Ok(()),
        }
    }
}
