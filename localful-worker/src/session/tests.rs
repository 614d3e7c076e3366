//! The state machine driven in memory, frame by frame, with a hand-moved clock.

use std::time::Duration;

use serde_json::json;

use super::*;
use crate::engineio::Frame;
use crate::socketio::{Binary, Payload};

const OPEN: &str = r#"0{"sid":"eio1","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000}"#;

fn t(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

fn no_jitter() -> SessionConfig {
    SessionConfig { backoff: Backoff { jitter: 0.0, ..Backoff::default() }, ..SessionConfig::default() }
}

fn drain(s: &mut Session) -> Vec<Output> {
    std::iter::from_fn(|| s.poll_output()).collect()
}

fn sent(outputs: &[Output]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Send(Frame::Text(t)) => Some(t.clone()),
            Output::Send(Frame::Binary(b)) => Some(format!("<bin {b:?}>")),
            _ => None,
        })
        .collect()
}

fn text(s: &mut Session, frame: &str, now: Instant) -> Vec<Output> {
    s.frame(Frame::Text(frame.into()), now);
    drain(s)
}

/// Opens `/` and `/admin`, handshakes, and connects both.
fn connected() -> Session {
    let mut s = Session::new(no_jitter(), 1);
    s.open_namespace("/", t(0));
    s.open_namespace("/admin", t(0));
    assert!(drain(&mut s).contains(&Output::Connect));
    s.transport_opened(t(10));
    let out = text(&mut s, OPEN, t(20));
    assert!(out.contains(&Output::NeedAuth { nsp: "/".into() }));
    assert!(out.contains(&Output::NeedAuth { nsp: "/admin".into() }));
    s.auth_ready("/", json!({"token":"a"}), t(21));
    s.auth_ready("/admin", serde_json::Value::Null, t(21));
    assert_eq!(sent(&drain(&mut s)), vec![r#"40{"token":"a"}"#, "40/admin,"]);
    text(&mut s, r#"40{"sid":"s1"}"#, t(30));
    text(&mut s, r#"40/admin,{"sid":"s2"}"#, t(30));
    assert!(s.is_connected("/") && s.is_connected("/admin"));
    s
}

#[test]
fn ping_is_answered_before_the_connect_reply() {
    let mut s = Session::new(no_jitter(), 1);
    s.open_namespace("/", t(0));
    drain(&mut s);
    s.transport_opened(t(1));
    text(&mut s, OPEN, t(2));
    s.auth_ready("/", json!({}), t(3));
    assert_eq!(sent(&drain(&mut s)), vec!["40"]);
    // the server pings before it answers CONNECT
    assert_eq!(sent(&text(&mut s, "2", t(4))), vec!["3"]);
    let out = text(&mut s, r#"40{"sid":"x"}"#, t(5));
    assert!(out.contains(&Output::SocketState {
        nsp: "/".into(),
        state: SocketState::Connected { sid: "x".into(), recovered: false }
    }));
}

#[test]
fn never_sends_an_unasked_pong() {
    let mut s = connected();
    s.handle_timeout(t(400));
    assert!(sent(&drain(&mut s)).is_empty());
}

#[test]
fn dead_connection_detected_by_deadline_then_backoff() {
    let mut s = connected();
    // pings keep it alive
    assert_eq!(sent(&text(&mut s, "2", t(300))), vec!["3"]);
    s.handle_timeout(t(799));
    assert!(drain(&mut s).is_empty());
    // no ping for interval + timeout (500 ms) after the last one
    s.handle_timeout(t(800));
    let out = drain(&mut s);
    assert!(out.contains(&Output::CloseTransport));
    assert!(out.contains(&Output::ConnectionState(ConnectionState::Reconnecting {
        attempt: 1,
        delay: Duration::from_millis(1000),
        reason: DisconnectReason::PingTimeout,
    })));
    assert!(out.contains(&Output::SocketState {
        nsp: "/admin".into(),
        state: SocketState::Disconnected { reason: DisconnectReason::PingTimeout, will_reconnect: true }
    }));
    assert_eq!(s.next_deadline(), Some(t(1800)));
    s.handle_timeout(t(1800));
    assert!(drain(&mut s).contains(&Output::Connect));
    // the dial fails: the next delay doubles
    s.transport_failed("refused".into(), t(1810));
    assert!(drain(&mut s).contains(&Output::ConnectionState(ConnectionState::Reconnecting {
        attempt: 2,
        delay: Duration::from_millis(2000),
        reason: DisconnectReason::TransportError("refused".into()),
    })));
}

#[test]
fn reconnect_asks_for_auth_again_and_recovers_with_pid_and_offset() {
    let mut s = Session::new(no_jitter(), 1);
    s.open_namespace("/", t(0));
    drain(&mut s);
    s.transport_opened(t(0));
    text(&mut s, OPEN, t(0));
    s.auth_ready("/", json!({"token":"1"}), t(0));
    drain(&mut s);
    text(&mut s, r#"40{"sid":"a","pid":"p1"}"#, t(1));
    // the server appends an offset to each event when recovery is on; it is not an argument
    let out = text(&mut s, r#"42["news",{"n":1},"off-1"]"#, t(2));
    assert!(out.contains(&Output::Event {
        nsp: "/".into(),
        name: "news".into(),
        payload: Payload { args: vec![json!({"n":1})], attachments: vec![] },
        ack: None
    }));
    s.transport_closed(t(3));
    drain(&mut s);
    s.handle_timeout(t(1003));
    assert!(drain(&mut s).contains(&Output::Connect));
    s.transport_opened(t(1004));
    assert!(text(&mut s, OPEN, t(1005)).contains(&Output::NeedAuth { nsp: "/".into() }));
    s.auth_ready("/", json!({"token":"2"}), t(1006));
    assert_eq!(sent(&drain(&mut s)), vec![r#"40{"offset":"off-1","pid":"p1","token":"2"}"#]);
    let out = text(&mut s, r#"40{"sid":"a","pid":"p1"}"#, t(1007));
    assert!(out.contains(&Output::SocketState {
        nsp: "/".into(),
        state: SocketState::Connected { sid: "a".into(), recovered: true }
    }));
}

#[test]
fn acks_both_ways_with_ids_per_namespace() {
    let mut s = connected();
    let a = s.emit_with_ack("/", "hello", Payload::from_arg(&1).unwrap(), None, t(40)).unwrap();
    let b = s.emit_with_ack("/admin", "hello", Payload::empty(), None, t(40)).unwrap();
    let c = s.emit_with_ack("/admin", "hello", Payload::empty(), None, t(40)).unwrap();
    assert_eq!((a, b, c), (0, 0, 1));
    assert_eq!(sent(&drain(&mut s)), vec![r#"420["hello",1]"#, r#"42/admin,0["hello"]"#, r#"42/admin,1["hello"]"#]);
    let out = text(&mut s, r#"43/admin,1["ok"]"#, t(41));
    assert_eq!(
        out,
        vec![Output::Ack {
            nsp: "/admin".into(),
            id: 1,
            result: Ok(Payload { args: vec![json!("ok")], attachments: vec![] })
        }]
    );
    // an unknown or repeated ack id is ignored
    assert!(text(&mut s, r#"43/admin,1["again"]"#, t(42)).is_empty());
    // the server asks us for an ack
    let out = text(&mut s, r#"42/admin,7["question"]"#, t(43));
    assert!(matches!(&out[0], Output::Event { ack: Some(7), .. }));
    s.ack("/admin", 7, Payload::from_arg("answer").unwrap()).unwrap();
    assert_eq!(sent(&drain(&mut s)), vec![r#"43/admin,7["answer"]"#]);
}

#[test]
fn ack_timeout_and_disconnect_fail_pending_acks() {
    let mut s = connected();
    let id = s.emit_with_ack("/", "slow", Payload::empty(), Some(Duration::from_millis(50)), t(100)).unwrap();
    drain(&mut s);
    assert_eq!(s.next_deadline(), Some(t(150)));
    s.handle_timeout(t(150));
    assert_eq!(drain(&mut s), vec![Output::Ack { nsp: "/".into(), id, result: Err(AckError::Timeout) }]);
    let id = s.emit_with_ack("/", "lost", Payload::empty(), None, t(160)).unwrap();
    drain(&mut s);
    s.transport_closed(t(170));
    assert!(drain(&mut s).contains(&Output::Ack { nsp: "/".into(), id, result: Err(AckError::Disconnected) }));
}

#[test]
fn binary_event_and_ack_with_two_attachments() {
    let mut s = connected();
    let payload = Payload::from_args(&("x", Binary(vec![1, 2]), Binary(vec![3]))).unwrap();
    s.emit_with_ack("/admin", "upload", payload, None, t(40)).unwrap();
    assert_eq!(
        sent(&drain(&mut s)),
        vec![
            r#"452-/admin,0["upload","x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#,
            "<bin [1, 2]>",
            "<bin [3]>"
        ]
    );
    assert!(text(&mut s, r#"462-/admin,0[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, t(41)).is_empty());
    s.frame(Frame::Binary(vec![9]), t(42));
    assert!(drain(&mut s).is_empty());
    s.frame(Frame::Binary(vec![8, 8]), t(42));
    let out = drain(&mut s);
    let Output::Ack { result: Ok(payload), .. } = &out[0] else { panic!("{out:?}") };
    let (a, b): (Binary, Binary) = payload.args().unwrap();
    assert_eq!((a.0, b.0), (vec![9], vec![8, 8]));
}

#[test]
fn interrupted_binary_sequence_is_a_parse_error_and_reconnects() {
    let mut s = connected();
    text(&mut s, r#"451-["file",{"_placeholder":true,"num":0}]"#, t(40));
    // an Engine.IO ping in between is not part of the Socket.IO sequence
    assert_eq!(sent(&text(&mut s, "2", t(41))), vec!["3"]);
    let out = text(&mut s, r#"42["other"]"#, t(41));
    assert!(out.contains(&Output::CloseTransport));
    assert!(out.iter().any(|o| matches!(
        o,
        Output::ConnectionState(ConnectionState::Reconnecting { reason: DisconnectReason::ParseError(_), .. })
    )));
}

#[test]
fn events_before_the_connect_reply_are_buffered_and_emits_queued() {
    let mut s = Session::new(no_jitter(), 1);
    s.open_namespace("/", t(0));
    s.emit("/", "early", Payload::empty(), t(0)).unwrap();
    drain(&mut s);
    s.transport_opened(t(1));
    text(&mut s, OPEN, t(1));
    s.auth_ready("/", serde_json::Value::Null, t(1));
    drain(&mut s);
    assert!(text(&mut s, r#"42["first"]"#, t(2)).is_empty());
    let out = text(&mut s, r#"40{"sid":"z"}"#, t(3));
    assert!(matches!(&out[0], Output::SocketState { state: SocketState::Connected { .. }, .. }));
    assert!(matches!(&out[1], Output::Event { name, .. } if name == "first"));
    assert_eq!(sent(&out), vec![r#"42["early"]"#]);
}

#[test]
fn connect_error_with_data_refuses_without_reconnect() {
    let mut s = Session::new(no_jitter(), 1);
    s.open_namespace("/private", t(0));
    drain(&mut s);
    s.transport_opened(t(1));
    text(&mut s, OPEN, t(1));
    s.auth_ready("/private", json!({"token":"bad"}), t(1));
    drain(&mut s);
    let out = text(&mut s, r#"44/private,{"message":"not authorized","data":{"code":"E_TICKET"}}"#, t(2));
    assert!(out.contains(&Output::SocketState {
        nsp: "/private".into(),
        state: SocketState::Refused(ConnectError { message: "not authorized".into(), data: Some(json!({"code":"E_TICKET"})) })
    }));
    assert!(out.contains(&Output::CloseTransport));
    assert_eq!(s.next_deadline(), None);
    assert_eq!(s.emit("/private", "x", Payload::empty(), t(3)), Err(EmitError::SocketClosed));
}

#[test]
fn server_disconnect_ends_one_namespace_and_keeps_the_other() {
    let mut s = connected();
    let out = text(&mut s, "41/admin,", t(40));
    assert!(out.contains(&Output::SocketState {
        nsp: "/admin".into(),
        state: SocketState::Disconnected { reason: DisconnectReason::ServerDisconnect, will_reconnect: false }
    }));
    assert!(!out.contains(&Output::CloseTransport));
    // the last one closes the connection for good
    let out = text(&mut s, "41", t(41));
    assert!(out.contains(&Output::CloseTransport));
    assert!(out.contains(&Output::ConnectionState(ConnectionState::Closed { reason: DisconnectReason::ServerDisconnect })));
    s.transport_closed(t(42));
    assert!(drain(&mut s).is_empty());
}

#[test]
fn client_disconnect_sends_disconnect_packets() {
    let mut s = connected();
    s.close_namespace("/admin", t(40));
    assert_eq!(sent(&drain(&mut s)), vec!["41/admin,"]);
    s.close(t(41));
    let out = drain(&mut s);
    assert_eq!(sent(&out), vec!["41"]);
    assert!(out.contains(&Output::CloseTransport));
}

#[test]
fn emits_over_max_payload_are_refused_locally() {
    let mut s = connected();
    let big = "x".repeat(1000);
    assert!(matches!(
        s.emit("/", "big", Payload::from_arg(&big).unwrap(), t(40)),
        Err(EmitError::TooLarge { max: 1000, .. })
    ));
    assert_eq!(
        s.emit("/", "connect", Payload::empty(), t(40)),
        Err(EmitError::ReservedName("connect".into()))
    );
}

#[test]
fn garbage_from_the_server_is_a_parse_error_not_a_panic() {
    for frame in ["", "9", "4", "47", "42{", "45x-[]", "0{}", "40/a,{\"sid\":1}", "43x", "4\u{0}"] {
        let mut s = connected();
        s.frame(Frame::Text(frame.into()), t(40));
        drain(&mut s);
    }
    let mut s = connected();
    s.frame(Frame::Binary(vec![1]), t(40));
    assert!(drain(&mut s).contains(&Output::CloseTransport));
}

#[test]
fn a_bad_open_packet_is_a_parse_error() {
    let mut s = Session::new(no_jitter(), 1);
    s.open_namespace("/", t(0));
    drain(&mut s);
    s.transport_opened(t(1));
    let out = text(&mut s, r#"0{"sid":1}"#, t(2));
    assert!(out.contains(&Output::CloseTransport));
    assert!(out.iter().any(|o| matches!(
        o,
        Output::ConnectionState(ConnectionState::Reconnecting { attempt: 1, reason: DisconnectReason::ParseError(_), .. })
    )));
}

#[test]
fn handshake_timeout_and_attempt_limit() {
    let config = SessionConfig { reconnection_attempts: Some(1), connect_timeout: Duration::from_millis(100), ..no_jitter() };
    let mut s = Session::new(config, 1);
    s.open_namespace("/", t(0));
    drain(&mut s);
    s.transport_opened(t(10));
    assert_eq!(s.next_deadline(), Some(t(110)));
    s.handle_timeout(t(110));
    let out = drain(&mut s);
    assert!(out.contains(&Output::CloseTransport));
    assert!(out.contains(&Output::ConnectionState(ConnectionState::Reconnecting {
        attempt: 1,
        delay: Duration::from_millis(1000),
        reason: DisconnectReason::TransportError("connect timeout".into()),
    })));
    s.handle_timeout(t(1110));
    assert!(drain(&mut s).contains(&Output::Connect));
    s.transport_failed("refused".into(), t(1120));
    let out = drain(&mut s);
    assert!(out.contains(&Output::ConnectionState(ConnectionState::Closed {
        reason: DisconnectReason::TransportError("refused".into())
    })));
    assert!(out.contains(&Output::SocketState {
        nsp: "/".into(),
        state: SocketState::Disconnected { reason: DisconnectReason::TransportError("refused".into()), will_reconnect: false }
    }));
    assert_eq!(s.next_deadline(), None);
}

#[test]
fn a_failed_auth_provider_retries_with_backoff() {
    let mut s = Session::new(no_jitter(), 1);
    s.open_namespace("/", t(0));
    drain(&mut s);
    s.transport_opened(t(1));
    text(&mut s, OPEN, t(2));
    s.auth_failed("/", "offline".into(), t(3));
    let out = drain(&mut s);
    assert!(out.contains(&Output::CloseTransport));
    assert!(out.contains(&Output::ConnectionState(ConnectionState::Reconnecting {
        attempt: 1,
        delay: Duration::from_millis(1000),
        reason: DisconnectReason::AuthUnavailable("offline".into()),
    })));
    s.handle_timeout(t(1003));
    assert!(drain(&mut s).contains(&Output::Connect));
    s.transport_opened(t(1004));
    assert!(text(&mut s, OPEN, t(1005)).contains(&Output::NeedAuth { nsp: "/".into() }));
}

#[test]
fn binary_ack_to_the_server() {
    let mut s = connected();
    text(&mut s, r#"42/admin,7["give"]"#, t(40));
    s.ack("/admin", 7, Payload::from_arg(&Binary(vec![5])).unwrap()).unwrap();
    assert_eq!(sent(&drain(&mut s)), vec![r#"461-/admin,7[{"_placeholder":true,"num":0}]"#, "<bin [5]>"]);
}

#[test]
fn engine_close_packet_reconnects() {
    let mut s = connected();
    let out = text(&mut s, "1", t(40));
    assert!(out.iter().any(|o| matches!(
        o,
        Output::ConnectionState(ConnectionState::Reconnecting { reason: DisconnectReason::TransportClose, .. })
    )));
}

#[test]
fn retry_now_cuts_the_backoff_short_and_is_a_no_op_otherwise() {
    let mut s = connected();
    s.retry_now(t(35));
    assert!(!drain(&mut s).contains(&Output::Connect), "connected: nothing to retry");
    s.transport_closed(t(40));
    let out = drain(&mut s);
    assert!(out.iter().any(|o| matches!(
        o,
        Output::ConnectionState(ConnectionState::Reconnecting { attempt: 1, delay, .. }) if *delay == Duration::from_secs(1)
    )));
    assert!(!out.contains(&Output::Connect), "waits out the backoff");
    s.retry_now(t(100));
    let out = drain(&mut s);
    assert!(out.contains(&Output::Connect), "{out:?}");
    assert!(out.contains(&Output::ConnectionState(ConnectionState::Connecting { attempt: 1 })), "{out:?}");
    // Dialing already: asking again starts no second attempt.
    s.retry_now(t(101));
    assert!(!drain(&mut s).contains(&Output::Connect));
    // The attempt fails: the next backoff is the second one (2 s), counted from the failure.
    s.transport_failed("refused".into(), t(150));
    assert!(drain(&mut s).iter().any(|o| matches!(
        o,
        Output::ConnectionState(ConnectionState::Reconnecting { attempt: 2, delay, .. }) if *delay == Duration::from_secs(2)
    )));
}
