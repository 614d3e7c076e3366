//! Engine.IO v4 text packets: a one-digit type followed by the payload.

use std::fmt;

/// One Engine.IO packet as carried by one WebSocket text frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    /// `0` + handshake JSON, sent by the server first.
    Open(String),
    /// `1`: the transport is closing.
    Close,
    /// `2` + optional data: the server's heartbeat ping.
    Ping(String),
    /// `3` + optional data: the answer to a ping.
    Pong(String),
    /// `4` + data: a message (a Socket.IO packet).
    Message(String),
    /// `5`: upgrade (unused by the websocket-only transport).
    Upgrade,
    /// `6`: noop.
    Noop,
}

/// A frame that is not an Engine.IO v4 packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The frame was empty.
    #[error("empty engine.io packet")]
    Empty,
    /// The first character is not a packet type `0`–`6`.
    #[error("unknown engine.io packet type {0:?}")]
    UnknownType(char),
}

impl Packet {
    /// Parses one text frame.
    pub fn decode(frame: &str) -> Result<Self, DecodeError> {
        let mut chars = frame.chars();
        let kind = chars.next().ok_or(DecodeError::Empty)?;
        let data = chars.as_str().to_owned();
        Ok(match kind {
            '0' => Self::Open(data),
            '1' => Self::Close,
            '2' => Self::Ping(data),
            '3' => Self::Pong(data),
            '4' => Self::Message(data),
            '5' => Self::Upgrade,
            '6' => Self::Noop,
            other => return Err(DecodeError::UnknownType(other)),
        })
    }
}

impl fmt::Display for Packet {
    /// Writes the wire form of the packet.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open(d) => write!(f, "0{d}"),
            Self::Close => f.write_str("1"),
            Self::Ping(d) => write!(f, "2{d}"),
            Self::Pong(d) => write!(f, "3{d}"),
            Self::Message(d) => write!(f, "4{d}"),
            Self::Upgrade => f.write_str("5"),
            Self::Noop => f.write_str("6"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn exact_wire_strings() {
        assert_eq!(Packet::Pong(String::new()).to_string(), "3");
        assert_eq!(Packet::Ping("probe".into()).to_string(), "2probe");
        assert_eq!(Packet::Message("0/sync,".into()).to_string(), "40/sync,");
        assert_eq!(Packet::Close.to_string(), "1");
        assert_eq!(Packet::Open("{\"sid\":\"a\"}".into()).to_string(), "0{\"sid\":\"a\"}");
        assert_eq!(Packet::Ping(String::new()).to_string(), "2");
        assert_eq!(Packet::Pong("probe".into()).to_string(), "3probe");
        assert_eq!(Packet::Upgrade.to_string(), "5");
        assert_eq!(Packet::Noop.to_string(), "6");
    }

    #[test]
    fn decodes_and_round_trips() {
        for wire in ["0{\"sid\":\"x\"}", "1", "2", "3", "4hello", "5", "6"] {
            assert_eq!(Packet::decode(wire).unwrap().to_string(), wire);
        }
    }

    #[test]
    fn rejects_bad_frames() {
        assert_eq!(Packet::decode(""), Err(DecodeError::Empty));
        assert_eq!(Packet::decode("9x"), Err(DecodeError::UnknownType('9')));
        assert_eq!(Packet::decode("é"), Err(DecodeError::UnknownType('é')));
    }
}
