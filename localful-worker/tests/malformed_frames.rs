//! A fake server sends malformed frames; the client reports a parse error, reconnects cleanly and
//! never panics.

#![allow(clippy::unwrap_used)]
#![cfg(not(target_arch = "wasm32"))]

mod support;

use futures::{SinkExt, StreamExt};
use localful_worker::{ConnectionState, DisconnectReason};
use serde_json::json;
use support::{builder, next_event, wait_for};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

const OPEN: &str = r#"0{"sid":"fake","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":100000}"#;

/// What the fake server does on each successive connection, after the handshake.
fn scenarios() -> Vec<(&'static str, Vec<Message>)> {
    let t = |s: &str| Message::text(s.to_owned());
    vec![
        ("truncated JSON", vec![t(r#"42["ev""#)]),
        ("unknown engine.io type", vec![t("9hello")]),
        ("unknown socket.io type", vec![t("47")]),
        ("wrong payload shape", vec![t(r#"42{"a":1}"#)]),
        ("interrupted binary sequence", vec![t(r#"451-["f",{"_placeholder":true,"num":0}]"#), t(r#"42["x"]"#)]),
        ("unexpected binary frame", vec![Message::binary(vec![1u8, 2, 3])]),
        ("placeholder out of range", vec![t(r#"451-["f",{"_placeholder":true,"num":5}]"#), Message::binary(vec![1u8])]),
        ("second open packet", vec![t(OPEN)]),
        ("bad ack id", vec![t(r#"4399999999999999999999999["x"]"#)]),
    ]
}

#[tokio::test]
async fn malformed_frames_give_a_parse_error_and_a_clean_reconnect() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = scenarios().len();
    tokio::spawn(async move {
        let mut connection = 0;
        while let Ok((tcp, _)) = listener.accept().await {
            let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else { continue };
            let script = scenarios().into_iter().nth(connection).map(|(_, frames)| frames);
            connection += 1;
            tokio::spawn(async move {
                let _ = ws.send(Message::text(OPEN)).await;
                while let Some(Ok(message)) = ws.next().await {
                    if let Message::Text(text) = &message
                        && text.as_str().starts_with("40")
                    {
                        let _ = ws.send(Message::text(r#"40{"sid":"s"}"#)).await;
                        match &script {
                            Some(frames) => {
                                for frame in frames {
                                    let _ = ws.send(frame.clone()).await;
                                }
                            }
                            None => {
                                let _ = ws.send(Message::text(r#"42["hello",1]"#)).await;
                            }
                        }
                    }
                }
            });
        }
    });

    let client = builder(&format!("http://127.0.0.1:{port}")).build();
    let socket = client.socket("/");
    let mut events = socket.events();
    let mut state = client.watch_state();
    for (name, _) in scenarios() {
        let lost = wait_for(&mut state, 5, |s| matches!(s, ConnectionState::Reconnecting { .. })).await;
        assert!(
            matches!(lost, ConnectionState::Reconnecting { reason: DisconnectReason::ParseError(_), .. }),
            "{name}: {lost:?}"
        );
        wait_for(&mut state, 5, |s| matches!(s, ConnectionState::Connecting { .. })).await;
    }
    socket.wait_connected().await.unwrap();
    let hello = next_event(&mut events, "hello").await;
    assert_eq!(hello.payload.args, vec![json!(1)]);
    assert_eq!(count, 9);
}
