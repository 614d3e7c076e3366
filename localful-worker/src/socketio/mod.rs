//! Socket.IO v5 framing over Engine.IO messages: packets, binary attachments and payloads. No IO.

mod binary;
mod packet;
mod payload;

pub use binary::{Assembled, BinaryAssembler, encode};
pub use packet::{DecodeError, MAX_ATTACHMENTS, Packet, PacketKind};
pub use payload::{Binary, Payload, PayloadError};
