//! The socket.io namespace `/sync` (socketioxide): ticket authentication at CONNECT, an Origin
//! check, one socket per session, `subscribe`, `ticket` (answer to `refresh-ticket`) and
//! batched idempotent `push`. Server events reach sockets through [`events`].

pub(crate) mod events;
mod handlers;
mod push;

use crate::state::AppState;
use socketioxide::{SocketIo, handler::ConnectHandler, layer::SocketIoLayer};

/// Builds the socket.io layer for `state` and attaches it to the state's event fan-out.
pub(crate) fn layer(state: AppState) -> SocketIoLayer {
    let max = state.config.max_version_bytes.saturating_mul(4).max(1024 * 1024).saturating_add(64 * 1024);
    let (layer, io) = SocketIo::builder()
        // Each socket's websocket reads into a buffer of this size, kept for the socket's life:
        // 1 KiB instead of engine.io's 4 KiB (an idle client sends only pings and small acks; a
        // larger push is read in more chunks). See the fan-out memory figures in benches/README.md.
        .ws_read_buffer_size(1024)
        .max_payload(max)
        .ws_max_message_size(usize::try_from(max).unwrap_or(usize::MAX))
        .with_state(state.clone())
        .build_layer();
    io.ns(localful_protocol::socket::NAMESPACE, handlers::on_connect.with(handlers::authorize));
    state.events.attach(io);
    layer
}
