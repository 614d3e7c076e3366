//! Our client against the official Node socket.io 4.8 server (`tests/js/socketio-conformance-server.mjs`),
//! natively. Each test starts its own server on a free port and kills it at the end.

#![allow(clippy::unwrap_used)]
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::StreamExt;

use localful_worker::{
    AckError, Binary, ClientEvent, ConnectError, ConnectionState, DisconnectReason, EmitError, Payload, ServerEvent,
    SocketState,
};
use serde::Deserialize;
use serde_json::{Value, json};
use localful_worker::session::{Clock, ManualClock};
use support::{NodeServer, builder, next_event, settle, wait_for};

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

const MS: Duration = Duration::from_millis(1);
const FIVE: Duration = Duration::from_secs(5);

#[tokio::test]
async fn connects_with_auth_and_multiplexes_namespaces() {
    let Some(server) = NodeServer::start().await else { return };
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
    let Some(server) = NodeServer::start().await else { return };
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
async fn acks_both_ways() {
    let Some(server) = NodeServer::start().await else { return };
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
}

#[tokio::test]
async fn an_unanswered_ack_times_out_at_its_deadline_on_the_clock() {
    let Some(server) = NodeServer::start().await else { return };
    let clock = ManualClock::new();
    let client = builder(&server.url()).clock(clock.clone()).build();
    let socket = client.socket("/");
    socket.wait_connected().await.unwrap();
    // Polled once: the emit is queued to the client's task before the echo below.
    let mut lost = Box::pin(socket.emit_raw_with_ack("ignore", Payload::empty(), Some(Duration::from_millis(200))));
    assert!(futures::poll!(&mut lost).is_pending());
    // An echo answered after "ignore" was sent: the server has it, and will never answer it.
    let echoed = socket.emit_raw_with_ack("echo", Payload::from_arg(&1).unwrap(), Some(FIVE)).await.unwrap();
    assert_eq!(echoed.args, vec![json!(1)]);
    clock.advance(Duration::from_millis(199));
    settle(&socket).await;
    assert!(futures::poll!(&mut lost).is_pending(), "timed out before its deadline");
    clock.advance(MS);
    let lost = tokio::time::timeout(FIVE, lost).await.expect("no timeout at the deadline");
    assert_eq!(lost, Err(AckError::Timeout));
}

#[tokio::test]
async fn binary_event_and_ack_with_two_attachments() {
    let Some(server) = NodeServer::start().await else { return };
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
    let Some(server) = NodeServer::start().await else { return };
    let clock = ManualClock::new();
    let client = builder(&server.url()).clock(clock.clone()).build();
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
    // Whatever a reconnection would wait for has passed; the task has handled it.
    clock.advance(Duration::from_secs(60));
    settle(&main).await;
    assert_eq!(client.state(), closed);
    assert!(clock.deadlines().is_empty(), "nothing is scheduled: {:?}", clock.deadlines());
}

#[tokio::test]
async fn server_disconnect_of_the_last_namespace_does_not_reconnect() {
    let Some(server) = NodeServer::start().await else { return };
    let clock = ManualClock::new();
    let client = builder(&server.url()).clock(clock.clone()).build();
    let main = client.socket("/");
    main.wait_connected().await.unwrap();
    let mut state = client.watch_state();
    main.emit_raw("disconnect-me", Payload::empty()).await.unwrap();
    let closed = wait_for(&mut state, 5, |s| matches!(s, ConnectionState::Closed { .. })).await;
    assert_eq!(closed, ConnectionState::Closed { reason: DisconnectReason::ServerDisconnect });
    // Any backoff would be over by now, and the task has handled the clock's move.
    clock.advance(Duration::from_secs(60));
    settle(&main).await;
    assert_eq!(client.state(), closed, "no reconnection after the server's own disconnect");
    assert!(clock.deadlines().is_empty(), "nothing is scheduled: {:?}", clock.deadlines());
}

#[tokio::test]
async fn a_server_that_stops_pinging_is_detected_by_deadline() {
    let Some(server) = NodeServer::start().await else { return };
    let clock = ManualClock::new();
    let client = builder(&server.url()).clock(clock.clone()).build();
    let main = client.socket("/");
    let sid = main.wait_connected().await.unwrap();
    let mut state = client.watch_state();
    main.emit_raw("stop-pinging", Payload::empty()).await.unwrap();
    // Answered after "stop-pinging": no ping comes after this on the same connection.
    main.emit_raw_with_ack("echo", Payload::empty(), Some(FIVE)).await.unwrap();
    // pingInterval 300 + pingTimeout 200 after the last ping, which came at the clock's 0.
    clock.advance(Duration::from_millis(499));
    settle(&main).await;
    assert!(matches!(client.state(), ConnectionState::Open { .. }), "{:?}", client.state());
    clock.advance(MS);
    let lost = wait_for(&mut state, 5, |s| matches!(s, ConnectionState::Reconnecting { .. })).await;
    let ConnectionState::Reconnecting { reason: DisconnectReason::PingTimeout, delay, .. } = lost else {
        panic!("{lost:?}")
    };
    clock.advance(delay);
    let back = main.wait_connected().await.unwrap();
    assert_ne!(back, sid);
}

#[tokio::test]
async fn pings_before_the_connect_reply_are_answered() {
    let Some(server) = NodeServer::start().await else { return };
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
    let Some(server) = NodeServer::start().await else { return };
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let clock = ManualClock::new();
    let client = builder(&server.url())
        .clock(clock.clone())
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
    let waits = reconnect_on_the_clock(&clock, &private, &mut state).await;
    assert!(waits.len() >= 2, "{waits:?}");
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

/// Drives a reconnection on `clock` until the connection is open again, checking that each
/// attempt waits its whole delay and no less; returns every wait as (attempt, delay, reason).
/// The server comes back on its own (real) time: until then, each attempt fails at once.
async fn reconnect_on_the_clock(
    clock: &ManualClock,
    socket: &localful_worker::Socket,
    state: &mut localful_worker::client::watch::Receiver<ConnectionState>,
) -> Vec<(u32, Duration, DisconnectReason)> {
    let mut waits: Vec<(u32, Duration, DisconnectReason)> = Vec::new();
    loop {
        let last = waits.last().map_or(0, |w| w.0);
        let now = wait_for(state, 10, |s| match s {
            // Open again, once the connection was lost (it is still open before the server's close).
            ConnectionState::Open { .. } => last > 0,
            ConnectionState::Reconnecting { attempt, .. } => *attempt > last,
            _ => false,
        })
        .await;
        let ConnectionState::Reconnecting { attempt, delay, reason } = now else { return waits };
        waits.push((attempt, delay, reason));
        let started = clock.now();
        clock.advance(delay - MS);
        settle(socket).await;
        assert!(
            matches!(&*state.borrow(), ConnectionState::Reconnecting { attempt: a, .. } if *a == attempt),
            "attempt {attempt} dialed before its delay of {delay:?}: {:?}",
            state.borrow()
        );
        clock.advance(MS);
        assert_eq!(clock.now(), started + delay);
    }
}

#[tokio::test]
async fn a_frame_over_the_server_limit_is_refused_before_it_closes_the_connection() {
    let Some(server) = NodeServer::start().await else { return };
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
    let Some(server) = NodeServer::start().await else { return };
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
