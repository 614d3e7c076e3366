//! # localful-worker
//!
//! The background half of Localful, hosted in one `SharedWorker` per origin: a socket.io client
//! (Engine.IO v4 / Socket.IO v5 framing over a raw WebSocket), the HTTP API client and the sync
//! engine. Protocol layers are pure (no IO) and tested natively; see `engineio`.

pub mod engineio;
