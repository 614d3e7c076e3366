//! Upgrade requests (socket.io's websocket) with their head copied out of hyper's read buffer.
//!
//! hyper parses a request's target and header values as slices of the connection's read buffer
//! (8–16 KiB), which they keep alive. socketioxide keeps each socket's request head for the
//! socket's whole life (`SocketRef::req_parts`), and with it that buffer, though the websocket
//! reads through buffers of its own: about 17 KiB per connected socket (a heap profile of the
//! fan-out benchmark: 38 % of the server's heap at 400 sockets). Copying the head's few hundred
//! bytes lets the buffer go as soon as the websocket takes the connection over.

use axum::{
    extract::{OriginalUri, Request},
    http::{HeaderMap, HeaderValue, Uri, header::UPGRADE},
};

/// Copies the target and header values of an upgrade request into buffers of their own; other
/// requests pass unchanged (their head goes with the request).
pub(crate) async fn detach_upgrade_head(req: Request) -> Request {
    if !req.headers().contains_key(UPGRADE) {
        return req;
    }
    let (mut parts, body) = req.into_parts();
    parts.headers = copy_headers(&parts.headers);
    parts.uri = copy_uri(&parts.uri);
    // The router kept the target as it came, for `OriginalUri`: that copy shares the buffer too.
    if let Some(OriginalUri(original)) = parts.extensions.get_mut::<OriginalUri>() {
        *original = copy_uri(original);
    }
    Request::from_parts(parts, body)
}

/// `uri` in an allocation of its own (`Uri: TryFrom<String>` keeps the string it parses).
fn copy_uri(uri: &Uri) -> Uri {
    Uri::try_from(uri.to_string()).unwrap_or_else(|_| uri.clone())
}

/// `headers` with every value in an allocation of its own (names already are: hyper copies them).
fn copy_headers(headers: &HeaderMap) -> HeaderMap {
    let mut copy = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        // `from_bytes` copies; it accepts every value hyper accepted (the same bytes).
        let mut owned = HeaderValue::from_bytes(value.as_bytes()).unwrap_or_else(|_| value.clone());
        owned.set_sensitive(value.is_sensitive());
        copy.append(name.clone(), owned);
    }
    copy
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::body::Body;

    #[tokio::test]
    async fn an_upgrade_request_keeps_its_target_and_every_header_value() {
        let req = Request::builder()
            .uri("/socket.io/?EIO=4&transport=websocket")
            .header(UPGRADE, "websocket")
            .header("origin", "http://localhost:8080")
            .header("x-many", "one")
            .header("x-many", "two")
            .extension(7_u8)
            .extension(OriginalUri(Uri::from_static("/socket.io/?EIO=4&transport=websocket")))
            .body(Body::empty())
            .unwrap();
        let out = detach_upgrade_head(req).await;
        assert_eq!(out.uri(), "/socket.io/?EIO=4&transport=websocket");
        assert_eq!(out.headers()[UPGRADE], "websocket");
        assert_eq!(out.headers()["origin"], "http://localhost:8080");
        let many: Vec<_> = out.headers().get_all("x-many").iter().collect();
        assert_eq!(many, ["one", "two"]);
        assert_eq!(out.extensions().get::<u8>(), Some(&7));
        assert_eq!(out.extensions().get::<OriginalUri>().unwrap().0, "/socket.io/?EIO=4&transport=websocket");
    }

    #[tokio::test]
    async fn no_copied_value_points_into_the_buffer_it_was_parsed_from() {
        // As hyper builds them: the values are slices of one connection buffer.
        let buffer = axum::body::Bytes::from(vec![b'a'; 16 * 1024]);
        let value = HeaderValue::from_maybe_shared(buffer.slice(0..32)).unwrap();
        let req = Request::builder().uri("/socket.io/").header(UPGRADE, value.clone()).body(Body::empty()).unwrap();
        let out = detach_upgrade_head(req).await;
        let range = buffer.as_ptr_range();
        assert_eq!(out.headers()[UPGRADE], value);
        assert!(!range.contains(&out.headers()[UPGRADE].as_bytes().as_ptr()));
    }

    #[tokio::test]
    async fn other_requests_pass_unchanged() {
        let req = Request::builder().uri("/v1/server").header("origin", "x").body(Body::empty()).unwrap();
        let out = detach_upgrade_head(req).await;
        assert_eq!(out.uri(), "/v1/server");
        assert_eq!(out.headers()["origin"], "x");
    }
}
