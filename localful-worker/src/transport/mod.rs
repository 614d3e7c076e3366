//! The WebSocket under Engine.IO, over `tokio-tungstenite-wasm` (tokio natively, the browser's
//! `WebSocket` in wasm): frames in, frames out.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio_tungstenite_wasm::{Message, WebSocketStream};

use crate::engineio::Frame;
use crate::runtime::sleep;

/// An open WebSocket carrying Engine.IO frames.
pub(crate) struct Transport {
    ws: WebSocketStream,
}

impl Transport {
    /// Dials `url` (`ws://…/socket.io/?EIO=4&transport=websocket`).
    pub(crate) async fn connect(url: String) -> Result<Self, String> {
        let ws = tokio_tungstenite_wasm::connect(url).await.map_err(|e| e.to_string())?;
        Ok(Self { ws })
    }

    /// Sends one frame.
    pub(crate) async fn send(&mut self, frame: Frame) -> Result<(), String> {
        let message = match frame {
            Frame::Text(text) => Message::text(text),
            Frame::Binary(data) => Message::binary(data),
        };
        self.ws.send(message).await.map_err(|e| e.to_string())
    }

    /// The next frame; `None` once the WebSocket closed.
    pub(crate) async fn next(&mut self) -> Option<Result<Frame, String>> {
        match self.ws.next().await? {
            Ok(Message::Text(text)) => Some(Ok(Frame::Text(text.as_str().to_owned()))),
            Ok(Message::Binary(data)) => Some(Ok(Frame::Binary(data.to_vec()))),
            Ok(Message::Close(_)) => None,
            Err(e) => Some(Err(e.to_string())),
        }
    }

    /// Closes the WebSocket (best effort: a peer that stopped reading gets half a second).
    pub(crate) async fn close(mut self) {
        let close = self.ws.close();
        let limit = sleep(Duration::from_millis(500));
        futures::pin_mut!(close, limit);
        let _ = futures::future::select(close, limit).await;
    }
}
