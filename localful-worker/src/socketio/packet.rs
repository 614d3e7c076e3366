//! Socket.IO v5 packets in their text form:
//! `<type>[<attachments>-][<namespace>,][<ack id>][<JSON data>]`.

use std::fmt;

use serde_json::Value;

/// The seven Socket.IO packet types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PacketKind {
    /// `0`: connect to a namespace (client, with auth) or its acceptance (server, with `sid`).
    Connect,
    /// `1`: leave a namespace.
    Disconnect,
    /// `2`: an event: `["name", ...args]`.
    Event,
    /// `3`: the answer to an event that carried an ack id: `[...args]`.
    Ack,
    /// `4`: the server refused a CONNECT: `{"message": ..., "data": ...}`.
    ConnectError,
    /// `5`: an event with binary attachments following as separate frames.
    BinaryEvent,
    /// `6`: an ack with binary attachments following as separate frames.
    BinaryAck,
}

impl PacketKind {
    fn digit(self) -> char {
        match self {
            Self::Connect => '0',
            Self::Disconnect => '1',
            Self::Event => '2',
            Self::Ack => '3',
            Self::ConnectError => '4',
            Self::BinaryEvent => '5',
            Self::BinaryAck => '6',
        }
    }

    fn from_digit(c: char) -> Option<Self> {
        Some(match c {
            '0' => Self::Connect,
            '1' => Self::Disconnect,
            '2' => Self::Event,
            '3' => Self::Ack,
            '4' => Self::ConnectError,
            '5' => Self::BinaryEvent,
            '6' => Self::BinaryAck,
            _ => return None,
        })
    }

    /// Whether attachments follow this packet.
    pub fn is_binary(self) -> bool {
        matches!(self, Self::BinaryEvent | Self::BinaryAck)
    }
}

/// One Socket.IO packet (the header of a binary packet; attachments travel separately).
#[derive(Debug, Clone, PartialEq)]
pub struct Packet {
    /// The packet type.
    pub kind: PacketKind,
    /// The namespace, `/` by default.
    pub nsp: String,
    /// The ack id, if the sender wants an answer (events) or answers one (acks).
    pub id: Option<u64>,
    /// The JSON data, with `{"_placeholder":true,"num":n}` where binary attachments go.
    pub data: Option<Value>,
    /// How many binary frames follow (binary kinds only).
    pub attachments: usize,
}

/// Largest number of attachments we accept in one binary packet.
pub const MAX_ATTACHMENTS: usize = 1024;

/// A Socket.IO packet that could not be parsed. Never a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The message was empty.
    #[error("empty socket.io packet")]
    Empty,
    /// The first character is not a packet type `0`–`6`.
    #[error("unknown socket.io packet type {0:?}")]
    UnknownType(char),
    /// The attachment count of a binary packet is missing, not a number, or too large.
    #[error("illegal attachment count")]
    IllegalAttachments,
    /// The ack id does not fit in 64 bits.
    #[error("ack id out of range")]
    IllegalId,
    /// The data is not valid JSON.
    #[error("invalid JSON payload: {0}")]
    InvalidJson(String),
    /// The data is valid JSON of the wrong shape for this packet type.
    #[error("invalid payload for a {0:?} packet")]
    InvalidPayload(PacketKind),
    /// A placeholder points at an attachment that does not exist.
    #[error("placeholder refers to a missing attachment")]
    IllegalPlaceholder,
    /// A text frame arrived while attachments of a binary packet were still expected.
    #[error("binary packet interrupted by a text frame")]
    InterruptedBinary,
    /// A binary frame arrived without a binary packet expecting it.
    #[error("unexpected binary frame")]
    UnexpectedBinary,
}

impl Packet {
    /// A packet of `kind` on `nsp` with `data`, no ack id and no attachments.
    pub fn new(kind: PacketKind, nsp: impl Into<String>, data: Option<Value>) -> Self {
        Self { kind, nsp: nsp.into(), id: None, data, attachments: 0 }
    }

    /// Parses the text of one Engine.IO message.
    pub fn decode(text: &str) -> Result<Self, DecodeError> {
        let mut rest = text;
        let first = rest.chars().next().ok_or(DecodeError::Empty)?;
        let kind = PacketKind::from_digit(first).ok_or(DecodeError::UnknownType(first))?;
        rest = &rest[first.len_utf8()..];

        let mut attachments = 0;
        if kind.is_binary() {
            let dash = rest.find('-').ok_or(DecodeError::IllegalAttachments)?;
            let count = &rest[..dash];
            if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DecodeError::IllegalAttachments);
            }
            attachments = count.parse().map_err(|_| DecodeError::IllegalAttachments)?;
            if attachments > MAX_ATTACHMENTS {
                return Err(DecodeError::IllegalAttachments);
            }
            rest = &rest[dash + 1..];
        }

        let mut nsp = "/".to_owned();
        if rest.starts_with('/') {
            let end = rest.find(',').unwrap_or(rest.len());
            nsp = rest[..end].to_owned();
            rest = rest.get(end + 1..).unwrap_or("");
        }

        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let id = if digits > 0 {
            let id = rest[..digits].parse().map_err(|_| DecodeError::IllegalId)?;
            rest = &rest[digits..];
            Some(id)
        } else {
            None
        };

        let data = if rest.is_empty() {
            None
        } else {
            Some(serde_json::from_str::<Value>(rest).map_err(|e| DecodeError::InvalidJson(e.to_string()))?)
        };
        if !payload_is_valid(kind, data.as_ref()) {
            return Err(DecodeError::InvalidPayload(kind));
        }
        Ok(Self { kind, nsp, id, data, attachments })
    }
}

/// The shape checks of the official parser (`isPayloadValid`).
fn payload_is_valid(kind: PacketKind, data: Option<&Value>) -> bool {
    match kind {
        PacketKind::Connect => matches!(data, None | Some(Value::Object(_))),
        PacketKind::Disconnect => data.is_none(),
        PacketKind::ConnectError => matches!(data, Some(Value::Object(_) | Value::String(_))),
        PacketKind::Event | PacketKind::BinaryEvent => match data {
            Some(Value::Array(items)) => matches!(items.first(), Some(Value::String(_) | Value::Number(_))),
            _ => false,
        },
        PacketKind::Ack | PacketKind::BinaryAck => matches!(data, Some(Value::Array(_))),
    }
}

impl fmt::Display for Packet {
    /// Writes the wire form (the text after the Engine.IO `4`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind.digit())?;
        if self.kind.is_binary() {
            write!(f, "{}-", self.attachments)?;
        }
        if self.nsp != "/" && !self.nsp.is_empty() {
            write!(f, "{},", self.nsp)?;
        }
        if let Some(id) = self.id {
            write!(f, "{id}")?;
        }
        if let Some(data) = &self.data {
            write!(f, "{data}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    fn p(kind: PacketKind, nsp: &str, id: Option<u64>, data: Option<Value>, attachments: usize) -> Packet {
        Packet { kind, nsp: nsp.into(), id, data, attachments }
    }

    #[test]
    fn exact_wire_strings_for_every_kind() {
        let cases = [
            (p(PacketKind::Connect, "/", None, None, 0), "0"),
            (p(PacketKind::Connect, "/", None, Some(json!({"token":"abc"})), 0), r#"0{"token":"abc"}"#),
            (p(PacketKind::Connect, "/admin", None, Some(json!({"token":"abc"})), 0), r#"0/admin,{"token":"abc"}"#),
            (p(PacketKind::Connect, "/admin", None, Some(json!({"sid":"oSO0OpakMV_3jnilAAAA"})), 0), r#"0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}"#),
            (p(PacketKind::Disconnect, "/", None, None, 0), "1"),
            (p(PacketKind::Disconnect, "/admin", None, None, 0), "1/admin,"),
            (p(PacketKind::Event, "/", None, Some(json!(["foo"])), 0), r#"2["foo"]"#),
            (p(PacketKind::Event, "/admin", None, Some(json!(["bar"])), 0), r#"2/admin,["bar"]"#),
            (p(PacketKind::Event, "/", Some(12), Some(json!(["foo"])), 0), r#"212["foo"]"#),
            (p(PacketKind::Ack, "/admin", Some(13), Some(json!(["bar"])), 0), r#"3/admin,13["bar"]"#),
            (p(PacketKind::Ack, "/", Some(0), Some(json!([])), 0), "30[]"),
            (p(PacketKind::ConnectError, "/", None, Some(json!({"message":"Not authorized"})), 0), r#"4{"message":"Not authorized"}"#),
            (
                p(PacketKind::BinaryEvent, "/", None, Some(json!(["baz",{"_placeholder":true,"num":0}])), 1),
                r#"51-["baz",{"_placeholder":true,"num":0}]"#,
            ),
            (
                p(PacketKind::BinaryEvent, "/admin", Some(7), Some(json!(["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])), 2),
                r#"52-/admin,7["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#,
            ),
            (
                p(PacketKind::BinaryAck, "/admin", Some(15), Some(json!(["bar",{"_placeholder":true,"num":0}])), 1),
                r#"61-/admin,15["bar",{"_placeholder":true,"num":0}]"#,
            ),
        ];
        for (packet, wire) in cases {
            assert_eq!(packet.to_string(), wire);
            assert_eq!(Packet::decode(wire).unwrap(), packet, "{wire}");
        }
    }

    #[test]
    fn namespace_without_data_or_comma() {
        let packet = Packet::decode("1/admin").unwrap();
        assert_eq!(packet.nsp, "/admin");
        assert_eq!(packet.kind, PacketKind::Disconnect);
    }

    #[test]
    fn rejects_malformed_packets() {
        assert_eq!(Packet::decode(""), Err(DecodeError::Empty));
        assert_eq!(Packet::decode("7"), Err(DecodeError::UnknownType('7')));
        assert_eq!(Packet::decode("5[\"a\"]"), Err(DecodeError::IllegalAttachments));
        assert_eq!(Packet::decode("5x-[\"a\"]"), Err(DecodeError::IllegalAttachments));
        assert_eq!(Packet::decode("599999-[\"a\"]"), Err(DecodeError::IllegalAttachments));
        assert_eq!(Packet::decode("299999999999999999999999[\"a\"]"), Err(DecodeError::IllegalId));
        assert!(matches!(Packet::decode("2[\"a\""), Err(DecodeError::InvalidJson(_))));
        assert_eq!(Packet::decode("2{}"), Err(DecodeError::InvalidPayload(PacketKind::Event)));
        assert_eq!(Packet::decode("2[]"), Err(DecodeError::InvalidPayload(PacketKind::Event)));
        assert_eq!(Packet::decode("2"), Err(DecodeError::InvalidPayload(PacketKind::Event)));
        assert_eq!(Packet::decode("0[]"), Err(DecodeError::InvalidPayload(PacketKind::Connect)));
        assert_eq!(Packet::decode("1{}"), Err(DecodeError::InvalidPayload(PacketKind::Disconnect)));
        assert_eq!(Packet::decode("3{}"), Err(DecodeError::InvalidPayload(PacketKind::Ack)));
        assert_eq!(Packet::decode("4"), Err(DecodeError::InvalidPayload(PacketKind::ConnectError)));
        assert_eq!(Packet::decode("é"), Err(DecodeError::UnknownType('é')));
        assert!(Packet::decode("2/é,[\"a\"]").is_ok());
    }
}
