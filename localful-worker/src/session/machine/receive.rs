//! What the transport reports: opened, failed, closed, and every frame, parsed and dispatched.

use serde_json::Value;

use super::{Conn, Session};
use crate::engineio::{Frame, Heartbeat, OpenPacket, Packet as EioPacket};
use crate::session::namespace::Phase;
use crate::session::output::Output;
use crate::session::state::{ConnectError, ConnectionState, DisconnectReason, SocketState};
use crate::session::Instant;
use crate::socketio::{Packet, PacketKind, Payload};

impl Session {
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
                        self.packet(packet, buffers);
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

    pub(super) fn text(&mut self, text: &str, now: Instant) -> Result<(), String> {
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
                    self.packet(packet, buffers);
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

    pub(super) fn packet(&mut self, packet: Packet, buffers: Vec<Vec<u8>>) {
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
                    self.refuse(&nsp, error);
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
                self.refuse(&nsp, error);
            }
            PacketKind::Disconnect => {
                if !ns.wanted() {
                    return;
                }
                self.end_namespace(&nsp, DisconnectReason::ServerDisconnect, false);
                self.close_if_unused(DisconnectReason::ServerDisconnect);
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
}
