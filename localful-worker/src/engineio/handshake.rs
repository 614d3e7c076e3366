//! The websocket-only handshake: the URL to dial and the server's `open` packet.

use std::time::Duration;

use serde::Deserialize;

/// The JSON payload of the server's `0` (open) packet.
///
/// ```
/// use localful_worker::engineio::OpenPacket;
/// let open = OpenPacket::parse(r#"{"sid":"abc","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000}"#).unwrap();
/// assert_eq!(open.sid, "abc");
/// assert_eq!(open.max_payload, 1000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenPacket {
    /// The Engine.IO session id.
    pub sid: String,
    /// Transports the server could upgrade to (ignored: we start on websocket).
    #[serde(default)]
    pub upgrades: Vec<String>,
    /// Milliseconds between two server pings.
    pub ping_interval: u64,
    /// Milliseconds the server waits for a pong; we allow the same grace after a missed ping.
    pub ping_timeout: u64,
    /// The largest frame in bytes the server accepts (`maxHttpBufferSize`).
    #[serde(default = "default_max_payload")]
    pub max_payload: u64,
}

fn default_max_payload() -> u64 {
    1_000_000
}

impl OpenPacket {
    /// Parses the payload of an open packet (the text after the leading `0`).
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// How long the connection may stay silent before it is dead: `pingInterval + pingTimeout`.
    pub fn heartbeat_window(&self) -> Duration {
        Duration::from_millis(self.ping_interval.saturating_add(self.ping_timeout))
    }
}

/// The WebSocket URL for a server base URL (`http://host:port`, `https://…`, `ws://…` or `wss://…`)
/// and an Engine.IO path (normally `/socket.io/`).
///
/// ```
/// use localful_worker::engineio::handshake_url;
/// assert_eq!(
///     handshake_url("http://127.0.0.1:3901", "/socket.io/"),
///     "ws://127.0.0.1:3901/socket.io/?EIO=4&transport=websocket"
/// );
/// ```
pub fn handshake_url(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    let base = if let Some(rest) = base.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = base.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        base.to_owned()
    };
    let path = path.trim_matches('/');
    format!("{base}/{path}/?EIO=4&transport=websocket")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_official_open_packet() {
        let open = OpenPacket::parse(
            r#"{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#,
        )
        .unwrap();
        assert_eq!(open.sid, "lv_VI97HAXpY6yYWAAAC");
        assert_eq!(open.ping_interval, 25000);
        assert_eq!(open.ping_timeout, 20000);
        assert_eq!(open.heartbeat_window(), Duration::from_millis(45000));
    }

    #[test]
    fn rejects_an_open_packet_without_timing() {
        assert!(OpenPacket::parse(r#"{"sid":"x"}"#).is_err());
        assert!(OpenPacket::parse("not json").is_err());
    }

    #[test]
    fn urls() {
        assert_eq!(
            handshake_url("https://example.org/", "socket.io"),
            "wss://example.org/socket.io/?EIO=4&transport=websocket"
        );
        assert_eq!(
            handshake_url("ws://h:1", "/custom/path/"),
            "ws://h:1/custom/path/?EIO=4&transport=websocket"
        );
    }
}
