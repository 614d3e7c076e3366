//! Graceful shutdown: a request in flight when shutdown starts completes; sync sockets are
//! closed; the server then stops.
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::*;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// Reads one response head (up to the blank line) from `stream`.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        head.push(tokio::time::timeout(Duration::from_secs(10), stream.read_u8()).await.expect("a response in time").expect("read"));
    }
    String::from_utf8(head).unwrap()
}

/// Sends the head of `POST path` with `Expect: 100-continue` and waits for `100 Continue`, which
/// hyper sends when the handler starts reading the body: from then on the request is in flight,
/// its body held back until the test writes it.
async fn post_held(base: &str, path: &str, token: &str, body_len: usize) -> TcpStream {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {body_len}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let interim = read_head(&mut stream).await;
    assert!(interim.starts_with("HTTP/1.1 100 "), "expected 100 Continue, got {interim:?}");
    stream
}

#[tokio::test]
async fn shutdown_finishes_in_flight_requests_and_closes_sockets() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let sock = if node_ready("the socket part of the shutdown test") {
            Some(Sio::connected(&ctx.base, &ctx.ticket(&u).await).await)
        } else {
            None
        };

        // A vault creation whose handler is waiting for the body when shutdown starts.
        let id = new_id();
        let body = vault_body(&id).to_string();
        let mut held = post_held(&ctx.base, "/v1/vaults", &u.access, body.len()).await;

        let base = ctx.base.clone();
        let addr = base.trim_start_matches("http://").to_string();
        let stopping = tokio::spawn(ctx.stop());
        // Shutdown has started once the listener is closed: new connections are refused.
        eventually("the server stops accepting connections", 10, || {
            let addr = addr.clone();
            async move { TcpStream::connect(addr).await.is_err() }
        })
        .await;
        if let Some(mut s) = sock {
            assert!(s.next(|m| m["type"] == "disconnect", 10).await.is_some(), "socket closed at shutdown");
            s.close().await;
        }

        held.write_all(body.as_bytes()).await.unwrap();
        let mut response = String::new();
        tokio::time::timeout(Duration::from_secs(10), held.read_to_string(&mut response)).await.expect("answered in time").unwrap();
        let (head, payload) = response.split_once("\r\n\r\n").expect("a response");
        assert!(head.starts_with("HTTP/1.1 201 "), "in-flight request finished: {response}");
        let created: Value = serde_json::from_str(payload).unwrap();
        assert_eq!(created["id"], json!(id));
        tokio::time::timeout(Duration::from_secs(10), stopping).await.expect("server stopped in time").unwrap();
        assert!(reqwest::get(format!("{base}/v1/server/health")).await.is_err(), "still accepting after shutdown");
    }
}
