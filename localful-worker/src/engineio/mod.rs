//! Engine.IO v4 framing: packets only, no IO.

mod packet;

pub use packet::{DecodeError, Packet};
