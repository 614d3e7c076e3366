//! Our client against the official Node socket.io 4.8 server (`tests/js/socketio-conformance-server.mjs`),
//! natively. Each test starts its own server on a free port and kills it at the end.

#![allow(clippy::unwrap_used)]
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;

use localful_worker::{
    AckError, Binary, ClientEvent, ConnectError, ConnectionState, DisconnectReason, EmitError, Payload, ServerEvent,
    SocketState,
};
use serde::Deserialize;
use serde_json::{Value, json};
use support::{NodeServer, builder, next_event, wait_for};

#[derive(Debug, Deserialize)]
struct WhoAmI {
    engine: String,
    nsp: String,
    auth: Value,
    recovered: bool,
}

struct WhoAmIEvent;
impl ClientEvent for WhoAmIEvent {
    const NAME: &'static str = "whoami";
    type Args = ();
    type Ack = WhoAmI;
}

struct Ask;
impl ClientEvent for Ask {
    const NAME: &'static str = "ask";
    type Args = u32;
    type Ack = bool;
}

struct Question;
impl ServerEvent for Question {
    const NAME: &'static str = "question";
    type Args = u32;
}

const SECOND: Duration = Duration::from_secs(1);
const FIVE: Duration = Duration::from_secs(5);

#[tokio::test]
async fn connects_with_auth_and_multiplexes_namespaces() {
    let server = NodeServer::start().await;
    let client = builder(&server.url())
        .auth(|nsp| {
            let nsp = nsp.to_owned();
            async move { Ok(json!({"token": "good", "nsp": nsp})) }
        })
        .build();
    let main = client.socket("/");
    let private = client.socket("/private");
    main.wait_connected().await.unwrap();
    private.wait_connected().await.unwrap();
    let a = main.emit_with_ack::<WhoAmIEvent>(&(), FIVE).await.unwrap();
    let b = private.emit_with_ack::<WhoAmIEvent>(&(), FIVE).await.unwrap();
    assert_eq!(a.engine, b.engine, "both namespaces share one Engine.IO connection");
    assert_eq!((a.nsp.as_str(), b.nsp.as_str()), ("/", "/private"));
    assert_eq!(b.auth, json!({"token": "good", "nsp": "/private"}));
    assert!(!a.recovered);
    assert_eq!(client.state(), ConnectionState::Open { sid: a.engine });
}

#[tokio::test]
async fn connect_error_with_data_then_retry_evaluates_auth_again() {
    let server = NodeServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = builder(&server.url())
        .auth(move |_| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move { Ok(json!({"token": if n == 0 { "bad" } else { "good" }})) }
        })
        .build();
    let private = client.socket("/private");
    let refused = private.wait_connected().await.unwrap_err();
    assert_eq!(
        refused,
        SocketState::Refused(ConnectError {
            message: "not authorized".into(),
            data: Some(json!({"code": "E_TOKEN", "token": "bad"}))
        })
    );
    assert_eq!(private.emit_raw("echo", Payload::empty()).await, Err(EmitError::SocketClosed));
    private.connect();
    private.wait_connected().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn acks_both_ways_and_ack_timeout() {
    let server = NodeServer::start().await;
    let client = builder(&server.url()).build();
    let socket = client.socket("/");
    let mut events = socket.events();
    let mut questions = Box::pin(socket.on::<Question>());
    socket.wait_connected().await.unwrap();

    let echoed = socket.emit_raw_with_ack("echo", Payload::from_args(&(1, "a", json!({"b": [2]}))).unwrap(), Some(FIVE)).await.unwrap();
    assert_eq!(echoed.args, vec![json!(1), json!("a"), json!({"b": [2]})]);

    // The server asks us, with an ack, while our own ack is pending.
    let socket2 = socket.clone();
    let asked = tokio::spawn(async move { socket2.emit_with_ack::<Ask>(&41, FIVE).await });
    let (n, ack) = questions.next().await.unwrap().unwrap();
    ack.expect("the server wants an ack").respond(&(n + 1)).unwrap();
    let answered = next_event(&mut events, "answered").await;
    assert_eq!(answered.payload.arg::<u32>(0).unwrap(), 42);
    assert_eq!(asked.await.unwrap(), Ok(true));

    let started = Instant::now();
    let lost = socket.emit_raw_with_ack("ignore", Payload::empty(), Some(Duration::from_millis(200))).await;
    assert_eq!(lost, Err(AckError::Timeout));
    assert!(started.elapsed() < SECOND);
}

#[tokio::test]
async fn binary_event_and_ack_with_two_attachments() {
    let server = NodeServer::start().await;
    let client = builder(&server.url()).build();
    let socket = client.socket("/admin");
    let mut events = socket.events();
    socket.wait_connected().await.unwrap();

    let payload = Payload::from_args(&(Binary(vec![1, 2, 3]), Binary(vec![0; 300]))).unwrap();
    let acked = socket.emit_raw_with_ack("binary", payload, Some(FIVE)).await.unwrap();
    let (b, a): (Binary, Binary) = acked.args().unwrap();
    assert_eq!((a.0, b.0), (vec![1, 2, 3], vec![0; 300]));
    assert_eq!(acked.attachments.len(), 2);

    let back = next_event(&mut events, "binary-back").await;
    let (a, b): (Binary, Binary) = back.payload.args().unwrap();
    assert_eq!((a.0, b.0), (vec![1, 2, 3], vec![0; 300]));

    let socket2 = socket.clone();
    let asked = tokio::spawn(async move { socket2.emit_raw_with_ack("binary-ask", Payload::empty(), Some(FIVE)).await });
    let question = next_event(&mut events, "binary-question").await;
    assert_eq!(question.payload.arg::<Binary>(0).unwrap(), Binary(vec![7, 7, 7]));
    question.ack.unwrap().respond_raw(Payload::from_args(&(Binary(vec![1; 5]), Binary(vec![2; 9]))).unwrap()).unwrap();
    let answer = next_event(&mut events, "binary-answer").await;
    assert_eq!(answer.payload.arg::<Vec<i64>>(0).unwrap(), vec![5, 9]);
    assert_eq!(asked.await.unwrap().unwrap().args, vec![json!(true)]);
}

#[tokio::test]
async fn server_disconnect_ends_one_namespace_but_disconnect_true_ends_all() {
    let server = NodeServer::start().await;
    let client = builder(&server.url()).build();
    let main = client.socket("/");
    let admin = client.socket("/admin");
    main.wait_connected().await.unwrap();
    admin.wait_connected().await.unwrap();
    let ConnectionState::Open { sid } = client.state() else { panic!("not open") };

    // disconnect(): only /admin ends, for good; the connection stays.
    admin.emit_raw("disconnect-me", Payload::empty()).await.unwrap();
    let mut admin_state = admin.watch_state();
    let state = wait_for(&mut admin_state, 5, |s| matches!(s, SocketState::Disconnected { .. })).await;
    assert_eq!(state, SocketState::Disconnected { reason: DisconnectReason::ServerDisconnect, will_reconnect: false });
    let echoed = main.emit_raw_with_ack("echo", Payload::from_arg("still").unwrap(), Some(FIVE)).await.unwrap();
    assert_eq!(echoed.args, vec![json!("still")]);
    assert_eq!(client.state(), ConnectionState::Open { sid: sid.clone() });

    // disconnect(true): the server disconnects every namespace of the connection, then closes it:
    // nothing reconnects.
    admin.connect();
    admin.wait_connected().await.unwrap();
    let mut main_state = main.watch_state();
    let mut connection = client.watch_state();
    admin.emit_raw("disconnect-me-close", Payload::empty()).await.unwrap();
    let gone = SocketState::Disconnected { reason: DisconnectReason::ServerDisconnect, will_reconnect: false };
    assert_eq!(wait_for(&mut admin_state, 5, |s| matches!(s, SocketState::Disconnected { .. })).await, gone);
    assert_eq!(wait_for(&mut main_state, 5, |s| matches!(s, SocketState::Disconnected { .. })).await, gone);
    let closed = wait_for(&mut connection, 5, |s| matches!(s, ConnectionState::Closed { .. })).await;
    assert_eq!(closed, ConnectionState::Closed { reason: DisconnectReason::ServerDisconnect });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(client.state(), closed);
}

#[tokio::test]
async fn server_disconnect_of_the_last_namespace_does_not_reconnect() {
    let server = NodeServer::start().await;
    let client = builder(&server.url()).build();
    let main = client.socket("/");
    main.wait_connected().await.unwrap();
    let mut state = client.watch_state();
    main.emit_raw("disconnect-me", Payload::empty()).await.unwrap();
    let closed = wait_for(&mut state, 5, |s| matches!(s, ConnectionState::Closed { .. })).await;
    assert_eq!(closed, ConnectionState::Closed { reason: DisconnectReason::ServerDisconnect });
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(client.state(), closed, "no reconnection after the server's own disconnect");
}

#[tokio::test]
async fn a_server_that_stops_pinging_is_detected_by_deadline() {
    let server = NodeServer::start().await;
    let client = builder(&server.url()).build();
    let main = client.socket("/");
    main.wait_connected().await.unwrap();
    let mut state = client.watch_state();
    let started = Instant::now();
    main.emit_raw("stop-pinging", Payload::empty()).await.unwrap();
    let lost = wait_for(&mut state, 5, |s| matches!(s, ConnectionState::Reconnecting { .. })).await;
    let elapsed = started.elapsed();
    assert!(matches!(lost, ConnectionState::Reconnecting { reason: DisconnectReason::PingTimeout, .. }), "{lost:?}");
    // pingInterval 300 + pingTimeout 200 after the last ping, which came at most 300 ms before
    assert!(elapsed < Duration::from_millis(2000), "{elapsed:?}");
    main.wait_connected().await.unwrap();
}

#[tokio::test]
async fn pings_before_the_connect_reply_are_answered() {
    let server = NodeServer::start().await;
    let client = builder(&server.url()).build();
    let slow = client.socket("/slow");
    let mut state = client.watch_state();
    let ConnectionState::Open { sid } = wait_for(&mut state, 5, |s| matches!(s, ConnectionState::Open { .. })).await
    else {
        unreachable!()
    };
    // the middleware takes 800 ms; the server pings every 300 ms meanwhile and would drop a
    // client that did not answer within 200 ms
    slow.wait_connected().await.unwrap();
    assert_eq!(client.state(), ConnectionState::Open { sid });
}

#[tokio::test]
async fn server_restart_backs_off_and_evaluates_auth_again() {
    let server = NodeServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = builder(&server.url())
        .auth(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok(json!({"token": "good"})) }
        })
        .build();
    let private = client.socket("/private");
    private.wait_connected().await.unwrap();
    let mut state = client.watch_state();
    state.borrow_and_update();
    private.emit_raw("restart", Payload::from_arg(&900).unwrap()).await.unwrap();

    let mut seen = Vec::new();
    let done = tokio::time::timeout(FIVE, async {
        while state.changed().await.is_ok() {
            let s = state.borrow_and_update().clone();
            seen.push(s.clone());
            if matches!(s, ConnectionState::Open { .. }) {
                break;
            }
        }
    })
    .await;
    assert!(done.is_ok(), "no reconnection: {seen:?}");
    let waits: Vec<(u32, Duration, DisconnectReason)> = seen
        .iter()
        .filter_map(|s| match s {
            ConnectionState::Reconnecting { attempt, delay, reason } => Some((*attempt, *delay, reason.clone())),
            _ => None,
        })
        .collect();
    assert!(waits.len() >= 2, "{seen:?}");
    assert_eq!(waits[0].2, DisconnectReason::TransportClose);
    assert!(matches!(waits[1].2, DisconnectReason::TransportError(_)), "{:?}", waits[1]);
    for (attempt, delay, _) in &waits {
        // 100 ms · 2^(attempt-1), ±50 %, capped at 400 ms
        let base = 100u64 << (attempt - 1).min(8);
        let ms = delay.as_millis() as u64;
        // From attempt 4 on, the whole jitter range lies above the cap: the delay is the cap.
        assert!(ms >= (base / 2).min(400) && ms <= (base * 3 / 2).min(400), "attempt {attempt}: {ms} ms");
    }
    private.wait_connected().await.unwrap();
    assert!(calls.load(Ordering::SeqCst) >= 2, "auth evaluated again");
}

#[tokio::test]
async fn a_frame_over_the_server_limit_is_refused_before_it_closes_the_connection() {
    let server = NodeServer::start().await;
    let client = builder(&server.url()).build();
    let main = client.socket("/");
    main.wait_connected().await.unwrap();
    let ConnectionState::Open { sid } = client.state() else { panic!() };
    let too_big = "x".repeat(12_000);
    assert!(matches!(
        main.emit_raw("echo", Payload::from_arg(&too_big).unwrap()).await,
        Err(EmitError::TooLarge { max: 10_000, .. })
    ));
    let fits = "y".repeat(9_000);
    let echoed = main.emit_raw_with_ack("echo", Payload::from_arg(&fits).unwrap(), Some(FIVE)).await.unwrap();
    assert_eq!(echoed.args, vec![json!(fits)]);
    assert_eq!(client.state(), ConnectionState::Open { sid });
}

#[tokio::test]
async fn connection_state_recovery_replays_a_missed_event() {
    let server = NodeServer::start().await;
    let client = builder(&server.url()).build();
    let socket = client.socket("/recovery");
    let mut events = socket.events();
    let sid = socket.wait_connected().await.unwrap();
    let mut state = socket.watch_state();
    socket.emit_raw("drop-me", Payload::empty()).await.unwrap();
    let before = next_event(&mut events, "before").await;
    assert_eq!(before.payload.args, vec![json!(1)], "the recovery offset is not an argument");
    wait_for(&mut state, 5, |s| matches!(s, SocketState::Disconnected { .. })).await;
    let back = wait_for(&mut state, 5, |s| matches!(s, SocketState::Connected { .. })).await;
    assert_eq!(back, SocketState::Connected { sid, recovered: true });
    let missed = next_event(&mut events, "missed").await;
    assert_eq!(missed.payload.args, vec![json!(42)]);
}
