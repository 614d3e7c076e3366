//! The session state machine: one Engine.IO connection, many namespaces, heartbeat, acks and
//! reconnection. Pure: frames and instants go in, [`Output`]s come out.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::engineio::{Frame, Heartbeat, OpenPacket, Packet as EioPacket};
use crate::socketio::{self, BinaryAssembler, Packet, PacketKind, Payload};

use super::backoff::{Backoff, Jitter};
use super::namespace::{Namespace, Phase};
use super::output::Output;
use super::state::{
    AckError, ConnectError, ConnectionState, DisconnectReason, EmitError, RESERVED_EVENTS, SocketState,
};
use super::Instant;

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

    // ----- user commands -----

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

    /// Leaves a namespace (sends DISCONNECT if connected); closes the connection when it was the last.
    pub fn close_namespace(&mut self, nsp: &str, now: Instant) {
        let Some(ns) = self.namespaces.get_mut(nsp) else { return };
        if !ns.wanted() {
            return;
        }
        if ns.phase == Phase::Connected || ns.phase == Phase::AwaitingReply {
            let packet = Packet::new(PacketKind::Disconnect, nsp, None);
            self.outputs.extend(socketio::encode(packet, vec![]).into_iter().map(Output::Send));
        }
        self.end_namespace(nsp, DisconnectReason::ClientDisconnect, false);
        self.close_if_unused(DisconnectReason::ClientDisconnect, now);
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
    pub fn auth_ready(&mut self, nsp: &str, auth: Value, now: Instant) {
        let _ = now;
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
                self.close_if_unused(DisconnectReason::ClientDisconnect, now);
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

    fn send_event(
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

    fn check_size(&self, frames: &[Frame]) -> Result<(), EmitError> {
        let Some(max) = self.max_payload else { return Ok(()) };
        // The Engine.IO text frame carries the packet; binary frames count on their own.
        match frames.iter().map(Frame::len).max() {
            Some(size) if size as u64 > max => Err(EmitError::TooLarge { size, max }),
            _ => Ok(()),
        }
    }

    // ----- transport events -----

    /// The WebSocket is open; the server's open packet is expected next.
    pub fn transport_opened(&mut self, now: Instant) {
        if let Conn::Dialing { .. } = self.conn {
            self.conn = Conn::Handshaking { deadline: now + self.config.connect_timeout };
        }
    }

    /// The WebSocket could not be opened.
    pub fn transport_failed(&mut self, error: String, now: Instant) {
        if matches!(self.conn, Conn::Dialing { .. } | Conn::Handshaking { .. } | Conn::Open { .. }) {
            self.connection_lost(DisconnectReason::TransportError(error), now);
        }
    }

    /// The WebSocket closed.
    pub fn transport_closed(&mut self, now: Instant) {
        if matches!(self.conn, Conn::Dialing { .. } | Conn::Handshaking { .. } | Conn::Open { .. }) {
            self.connection_lost(DisconnectReason::TransportClose, now);
        }
    }

    /// A frame arrived on the WebSocket.
    pub fn frame(&mut self, frame: Frame, now: Instant) {
        let result = match frame {
            Frame::Text(text) => self.text(&text, now),
            Frame::Binary(data) => match self.conn {
                Conn::Open { .. } => match self.assembler.binary(data) {
                    Ok(Some((packet, buffers))) => {
                        self.packet(packet, buffers, now);
                        Ok(())
                    }
                    Ok(None) => Ok(()),
                    Err(e) => Err(e.to_string()),
                },
                _ => Err("binary frame before the open packet".into()),
            },
        };
        if let Err(error) = result {
            self.outputs.push_back(Output::CloseTransport);
            self.connection_lost(DisconnectReason::ParseError(error), now);
        }
    }

    fn text(&mut self, text: &str, now: Instant) -> Result<(), String> {
        let packet = EioPacket::decode(text).map_err(|e| e.to_string())?;
        match (&mut self.conn, packet) {
            (Conn::Handshaking { .. }, EioPacket::Open(json)) => {
                let open = OpenPacket::parse(&json).map_err(|e| format!("bad open packet: {e}"))?;
                self.attempt = 0;
                self.max_payload = Some(open.max_payload);
                let heartbeat = Heartbeat::start(now, open.heartbeat_window());
                let sid = open.sid;
                self.set_conn(
                    Conn::Open { heartbeat },
                    Some(ConnectionState::Open { sid }),
                );
                let waiting: Vec<String> =
                    self.namespaces.iter().filter(|(_, ns)| ns.wanted()).map(|(n, _)| n.clone()).collect();
                for nsp in waiting {
                    self.request_auth(&nsp);
                }
                Ok(())
            }
            (Conn::Handshaking { .. }, other) => Err(format!("expected the open packet, got {other}")),
            (Conn::Open { heartbeat, .. }, EioPacket::Ping(_)) => {
                heartbeat.ping(now);
                self.outputs.push_back(Output::Send(Frame::Text(EioPacket::Pong(String::new()).to_string())));
                Ok(())
            }
            (Conn::Open { .. }, EioPacket::Message(data)) => {
                if let Some((packet, buffers)) = self.assembler.text(&data).map_err(|e| e.to_string())? {
                    self.packet(packet, buffers, now);
                }
                Ok(())
            }
            (Conn::Open { .. }, EioPacket::Close) => {
                self.outputs.push_back(Output::CloseTransport);
                self.connection_lost(DisconnectReason::TransportClose, now);
                Ok(())
            }
            (Conn::Open { .. }, EioPacket::Open(_)) => Err("second open packet".into()),
            (Conn::Open { .. }, EioPacket::Pong(_) | EioPacket::Noop | EioPacket::Upgrade) => Ok(()),
            // A frame from a transport we already gave up: ignore.
            _ => Ok(()),
        }
    }

    fn packet(&mut self, packet: Packet, buffers: Vec<Vec<u8>>, now: Instant) {
        let nsp = packet.nsp.clone();
        let Some(ns) = self.namespaces.get_mut(&nsp) else { return };
        match packet.kind {
            PacketKind::Connect => {
                if ns.phase != Phase::AwaitingReply {
                    return;
                }
                let data = packet.data.unwrap_or(Value::Null);
                let Some(sid) = data.get("sid").and_then(Value::as_str).map(str::to_owned) else {
                    let error = ConnectError { message: "CONNECT reply without a sid".into(), data: Some(data) };
                    self.refuse(&nsp, error, now);
                    return;
                };
                let pid = data.get("pid").and_then(Value::as_str).map(str::to_owned);
                let recovered = pid.is_some() && pid == ns.pid;
                ns.pid = pid;
                ns.phase = Phase::Connected;
                let received = std::mem::take(&mut ns.recv_buffer);
                let buffered = std::mem::take(&mut ns.send_buffer);
                for (_, id) in &buffered {
                    if let Some(pending) = id.and_then(|id| ns.acks.get_mut(&id)) {
                        pending.sent = true;
                    }
                }
                self.state(&nsp, SocketState::Connected { sid, recovered });
                self.outputs.extend(received);
                self.outputs.extend(buffered.into_iter().flat_map(|(frames, _)| frames).map(Output::Send));
            }
            PacketKind::ConnectError => {
                let data = packet.data.unwrap_or(Value::Null);
                let error = match data {
                    Value::String(message) => ConnectError { message, data: None },
                    Value::Object(mut map) => ConnectError {
                        message: map.remove("message").and_then(|m| m.as_str().map(str::to_owned)).unwrap_or_default(),
                        data: map.remove("data"),
                    },
                    other => ConnectError { message: other.to_string(), data: None },
                };
                self.refuse(&nsp, error, now);
            }
            PacketKind::Disconnect => {
                if !ns.wanted() {
                    return;
                }
                self.end_namespace(&nsp, DisconnectReason::ServerDisconnect, false);
                self.close_if_unused(DisconnectReason::ServerDisconnect, now);
            }
            PacketKind::Event | PacketKind::BinaryEvent => {
                let Some(Value::Array(mut args)) = packet.data else { return };
                if args.is_empty() {
                    return;
                }
                let name = match args.remove(0) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                if ns.pid.is_some()
                    && packet.id.is_none()
                    && let Some(Value::String(_)) = args.last()
                    && let Some(Value::String(offset)) = args.pop()
                {
                    ns.offset = Some(offset);
                }
                let event = Output::Event {
                    nsp: nsp.clone(),
                    name,
                    payload: Payload { args, attachments: buffers },
                    ack: packet.id,
                };
                match ns.phase {
                    Phase::Connected => self.outputs.push_back(event),
                    Phase::AwaitingReply | Phase::AwaitingAuth | Phase::Waiting => ns.recv_buffer.push(event),
                    Phase::Closed => {}
                }
            }
            PacketKind::Ack | PacketKind::BinaryAck => {
                let Some(id) = packet.id else { return };
                if ns.acks.remove(&id).is_none() {
                    return;
                }
                let args = match packet.data {
                    Some(Value::Array(args)) => args,
                    _ => Vec::new(),
                };
                self.outputs.push_back(Output::Ack {
                    nsp,
                    id,
                    result: Ok(Payload { args, attachments: buffers }),
                });
            }
        }
    }

    // ----- time -----

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

    fn dial(&mut self, now: Instant) {
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

    fn request_auth(&mut self, nsp: &str) {
        if let Some(ns) = self.namespaces.get_mut(nsp) {
            ns.phase = Phase::AwaitingAuth;
            self.outputs.push_back(Output::NeedAuth { nsp: nsp.to_owned() });
        }
    }

    fn refuse(&mut self, nsp: &str, error: ConnectError, now: Instant) {
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
        self.close_if_unused(DisconnectReason::ServerDisconnect, now);
    }

    /// Marks a namespace disconnected; `will_reconnect` keeps it wanted.
    fn end_namespace(&mut self, nsp: &str, reason: DisconnectReason, will_reconnect: bool) {
        let Some(ns) = self.namespaces.get_mut(nsp) else { return };
        let was_connected = ns.phase == Phase::Connected;
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
        let _ = was_connected;
        self.state(nsp, SocketState::Disconnected { reason, will_reconnect });
    }

    fn close_if_unused(&mut self, reason: DisconnectReason, now: Instant) {
        let _ = now;
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
    fn connection_lost(&mut self, reason: DisconnectReason, now: Instant) {
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

    fn set_conn(&mut self, conn: Conn, state: Option<ConnectionState>) {
        self.conn = conn;
        if let Some(state) = state {
            self.outputs.push_back(Output::ConnectionState(state));
        }
    }

    fn state(&mut self, nsp: &str, state: SocketState) {
        self.outputs.push_back(Output::SocketState { nsp: nsp.to_owned(), state });
    }
}
