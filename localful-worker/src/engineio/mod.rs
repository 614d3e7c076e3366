//! Engine.IO v4 framing: packets, the open handshake and the heartbeat deadline. No IO.
//!
//! Only the websocket transport is spoken: one Engine.IO packet per WebSocket text frame, and binary
//! messages as raw WebSocket binary frames (Engine.IO v4 adds no prefix to them).

mod frame;
mod handshake;
mod heartbeat;
mod packet;

pub use frame::Frame;
pub use handshake::{OpenPacket, handshake_url};
pub use heartbeat::Heartbeat;
pub use packet::{DecodeError, Packet};
