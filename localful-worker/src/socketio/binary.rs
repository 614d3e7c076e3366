//! Binary packets: a header text frame with placeholders, then one binary frame per attachment.

use serde_json::Value;

use super::packet::{DecodeError, Packet, PacketKind};
use crate::engineio::{Frame, Packet as EioPacket};

/// Encodes a packet and its attachments into the WebSocket frames to send, in order.
///
/// With attachments, an `Event` becomes a `BinaryEvent` and an `Ack` a `BinaryAck`, and the
/// attachment count is set; the data must already hold the placeholders.
pub fn encode(mut packet: Packet, attachments: Vec<Vec<u8>>) -> Vec<Frame> {
    if !attachments.is_empty() {
        packet.kind = match packet.kind {
            PacketKind::Event => PacketKind::BinaryEvent,
            PacketKind::Ack => PacketKind::BinaryAck,
            other => other,
        };
    } else {
        packet.kind = match packet.kind {
            PacketKind::BinaryEvent => PacketKind::Event,
            PacketKind::BinaryAck => PacketKind::Ack,
            other => other,
        };
    }
    packet.attachments = attachments.len();
    let mut frames = Vec::with_capacity(1 + attachments.len());
    frames.push(Frame::Text(EioPacket::Message(packet.to_string()).to_string()));
    frames.extend(attachments.into_iter().map(Frame::Binary));
    frames
}

/// A complete packet and its attachments, in placeholder order.
pub type Assembled = (Packet, Vec<Vec<u8>>);

/// Reassembles binary packets from the frames that follow their header.
#[derive(Debug, Default)]
pub struct BinaryAssembler {
    pending: Option<(Packet, Vec<Vec<u8>>)>,
}

impl BinaryAssembler {
    /// A new assembler expecting no attachments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a binary packet is waiting for attachments.
    pub fn is_waiting(&self) -> bool {
        self.pending.is_some()
    }

    /// Forgets any partial packet (the transport closed).
    pub fn reset(&mut self) {
        self.pending = None;
    }

    /// Feeds the text of an Engine.IO message; returns a complete packet with its attachments,
    /// or `None` while attachments are still expected.
    pub fn text(&mut self, text: &str) -> Result<Option<Assembled>, DecodeError> {
        if self.pending.is_some() {
            self.pending = None;
            return Err(DecodeError::InterruptedBinary);
        }
        let packet = Packet::decode(text)?;
        if packet.kind.is_binary() && packet.attachments > 0 {
            self.pending = Some((packet, Vec::new()));
            return Ok(None);
        }
        Self::finish(packet, Vec::new()).map(Some)
    }

    /// Feeds one binary frame.
    pub fn binary(&mut self, data: Vec<u8>) -> Result<Option<Assembled>, DecodeError> {
        let Some((packet, mut buffers)) = self.pending.take() else {
            return Err(DecodeError::UnexpectedBinary);
        };
        buffers.push(data);
        if buffers.len() < packet.attachments {
            self.pending = Some((packet, buffers));
            return Ok(None);
        }
        Self::finish(packet, buffers).map(Some)
    }

    fn finish(packet: Packet, buffers: Vec<Vec<u8>>) -> Result<Assembled, DecodeError> {
        if let Some(data) = &packet.data {
            check_placeholders(data, buffers.len())?;
        }
        Ok((packet, buffers))
    }
}

/// Every `{"_placeholder":true,...}` must name an existing attachment (the official `_reconstructPacket`).
fn check_placeholders(value: &Value, count: usize) -> Result<(), DecodeError> {
    match value {
        Value::Array(items) => items.iter().try_for_each(|v| check_placeholders(v, count)),
        Value::Object(map) => {
            if map.get("_placeholder") == Some(&Value::Bool(true)) {
                match map.get("num").and_then(Value::as_u64) {
                    Some(n) if (n as u128) < count as u128 => Ok(()),
                    _ => Err(DecodeError::IllegalPlaceholder),
                }
            } else {
                map.values().try_for_each(|v| check_placeholders(v, count))
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn encodes_two_attachments_after_the_header() {
        let packet = Packet {
            kind: PacketKind::Event,
            nsp: "/bin".into(),
            id: Some(3),
            data: Some(json!(["upload", {"_placeholder":true,"num":0}, {"_placeholder":true,"num":1}])),
            attachments: 0,
        };
        let frames = encode(packet, vec![vec![1, 2], vec![3]]);
        assert_eq!(
            frames,
            vec![
                Frame::Text(r#"452-/bin,3["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#.into()),
                Frame::Binary(vec![1, 2]),
                Frame::Binary(vec![3]),
            ]
        );
    }

    #[test]
    fn plain_ack_stays_text() {
        let packet = Packet { kind: PacketKind::Ack, nsp: "/".into(), id: Some(4), data: Some(json!(["ok"])), attachments: 0 };
        assert_eq!(encode(packet, vec![]), vec![Frame::Text(r#"434["ok"]"#.into())]);
    }

    #[test]
    fn assembles_a_binary_ack() {
        let mut asm = BinaryAssembler::new();
        assert_eq!(asm.text(r#"62-/bin,5[{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}]"#), Ok(None));
        assert_eq!(asm.binary(vec![9]), Ok(None));
        let (packet, buffers) = asm.binary(vec![8]).unwrap().unwrap();
        assert_eq!(packet.kind, PacketKind::BinaryAck);
        assert_eq!(packet.id, Some(5));
        assert_eq!(buffers, vec![vec![9], vec![8]]);
        assert!(!asm.is_waiting());
    }

    #[test]
    fn interrupted_and_unexpected_frames_are_errors() {
        let mut asm = BinaryAssembler::new();
        assert_eq!(asm.binary(vec![1]), Err(DecodeError::UnexpectedBinary));
        assert_eq!(asm.text(r#"51-["a",{"_placeholder":true,"num":0}]"#), Ok(None));
        assert_eq!(asm.text(r#"2["a"]"#), Err(DecodeError::InterruptedBinary));
        // the assembler recovers for the next packet
        assert!(asm.text(r#"2["a"]"#).unwrap().is_some());
    }

    #[test]
    fn placeholders_must_point_at_attachments() {
        let mut asm = BinaryAssembler::new();
        assert_eq!(asm.text(r#"51-["a",{"_placeholder":true,"num":1}]"#), Ok(None));
        assert_eq!(asm.binary(vec![1]), Err(DecodeError::IllegalPlaceholder));
        assert_eq!(asm.text(r#"51-["a",{"_placeholder":true,"num":-1}]"#), Ok(None));
        assert_eq!(asm.binary(vec![1]), Err(DecodeError::IllegalPlaceholder));
        assert_eq!(asm.text(r#"2["a",{"_placeholder":true,"num":0}]"#), Err(DecodeError::IllegalPlaceholder));
    }
}
