//! The HTTP router: one module per resource, each a thin layer over `services`.

mod auth;
#[cfg(test)]
mod busy_tests;
mod items;
mod server;
mod sync;
mod upgrade_head;
mod users;
mod vaults;
mod versions;

use crate::{error::AppError, state::AppState};
use axum::{Router, extract::DefaultBodyLimit, http::HeaderValue};
use tower_http::{
    cors::{AllowOrigin, Any, CorsLayer},
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

/// The whole API, HTTP and socket.io, as a router ready for `axum::serve` or `oneshot`.
pub fn app(state: AppState) -> Router {
    let socket = crate::sync::layer(state.clone());
    let body_limit = usize::try_from(state.config.max_version_bytes).unwrap_or(usize::MAX / 2).saturating_mul(2).saturating_add(64 * 1024);
    Router::new()
        .merge(server::routes())
        .merge(users::routes())
        .merge(auth::routes())
        .merge(vaults::routes())
        .merge(items::routes())
        .merge(versions::routes())
        .merge(sync::routes())
        .fallback(|| async { AppError::not_found() })
        .method_not_allowed_fallback(|| async {
            AppError::new(crate::error::ErrorKind::NotFound, "Method not allowed on this route")
        })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(socket)
        // Before socketioxide takes an upgrade request (and keeps its head for the socket's life).
        .layer(axum::middleware::map_request(upgrade_head::detach_upgrade_head))
        .layer(cors(&state.config.allowed_origins))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

fn cors(origins: &[String]) -> CorsLayer {
    // `Retry-After` is not a CORS-safelisted response header: a page reads it only if exposed.
    let base = CorsLayer::new().allow_methods(Any).allow_headers(Any).expose_headers([axum::http::header::RETRY_AFTER]);
    if origins.iter().any(|o| o == "*") {
        base.allow_origin(Any)
    } else {
        let list: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        base.allow_origin(AllowOrigin::list(list))
    }
}

/// `value` as a JSON value: objects with their keys in alphabetical order at every level. Change
/// entries and snapshots have always been written so (a socket event carries the same bytes as
/// the entry pulled from the log); JSON does not order keys, but the bytes stay the same.
pub(crate) fn sorted_keys<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(AppError::unexpected)
}

/// The client IP for rate limiting (unknown in in-memory tests: all share one bucket).
pub(crate) fn client_ip(parts: &axum::http::request::Parts) -> std::net::IpAddr {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]))
}
