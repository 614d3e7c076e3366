//! One WebSocket message as Engine.IO sees it.

/// A WebSocket data frame: text carries an Engine.IO packet, binary a raw attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A text frame (an Engine.IO packet such as `2` or `42["ev"]`).
    Text(String),
    /// A binary frame (a Socket.IO attachment; Engine.IO v4 adds no prefix on websocket).
    Binary(Vec<u8>),
}

impl Frame {
    /// Size on the wire in bytes, as the server's `maxHttpBufferSize` counts it.
    pub fn len(&self) -> usize {
        match self {
            Self::Text(t) => t.len(),
            Self::Binary(b) => b.len(),
        }
    }

    /// Whether the frame carries no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
