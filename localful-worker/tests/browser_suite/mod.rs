//! The browser conformance tests, run in a page and in a SharedWorker (see `conformance_browser.rs`).

#![allow(clippy::unwrap_used, unreachable_pub)]

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use futures::StreamExt;
use futures::future::{Either, select};
use localful_worker::client::{EventStream, watch};
use localful_worker::session::{Backoff, Clock, ManualClock};
use localful_worker::{
    AckError, Binary, Client, ClientBuilder, ConnectError, ConnectionState, DisconnectReason, EmitError,
    IncomingEvent, Payload, Socket, SocketState,
};
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

const FIVE: Duration = Duration::from_secs(5);
const MS: Duration = Duration::from_millis(1);

fn url() -> &'static str {
    option_env!("LOCALFUL_SIO_URL").unwrap_or("http://127.0.0.1:3901")
}

fn builder() -> ClientBuilder {
    Client::builder(url())
        .backoff(Backoff { min: Duration::from_millis(100), max: Duration::from_millis(400), factor: 2, jitter: 0.5 })
        .connect_timeout(Duration::from_secs(3))
}

/// `future`'s output, or `None` after `ms` (a deadline that only bounds a failure).
async fn timeout<T>(ms: u32, future: impl Future<Output = T>) -> Option<T> {
    let future = Box::pin(future);
    match select(future, gloo_timers::future::TimeoutFuture::new(ms)).await {
        Either::Left((value, _)) => Some(value),
        Either::Right(_) => None,
    }
}

async fn wait_for<T: Clone + std::fmt::Debug>(rx: &mut watch::Receiver<T>, pred: impl Fn(&T) -> bool) -> T {
    let found = timeout(5000, async {
        loop {
            let value = rx.borrow_and_update().clone();
            if pred(&value) {
                return value;
            }
            if rx.changed().await.is_err() {
                panic!("watch closed at {value:?}");
            }
        }
    })
    .await;
    found.unwrap_or_else(|| panic!("timed out at {:?}", rx.borrow().clone()))
}

async fn next_event(events: &mut EventStream, name: &str) -> IncomingEvent {
    timeout(5000, async {
        loop {
            let event = events.next().await.expect("stream ended");
            if event.name == name {
                return event;
            }
        }
    })
    .await
    .unwrap_or_else(|| panic!("no {name:?} event"))
}

/// A round trip through the client's task, twice: everything it had to do before is done.
async fn settle(socket: &Socket) {
    for _ in 0..2 {
        let _ = socket.emit_raw("marker", Payload::empty()).await;
    }
}

#[wasm_bindgen_test]
async fn connects_with_auth_on_two_namespaces_and_acks() {
    let client = builder().auth(|_| async { Ok(json!({"token": "good"})) }).build();
    let main = client.socket("/");
    let private = client.socket("/private");
    main.wait_connected().await.unwrap();
    private.wait_connected().await.unwrap();
    let a = main.emit_raw_with_ack("whoami", Payload::empty(), Some(FIVE)).await.unwrap();
    let b = private.emit_raw_with_ack("whoami", Payload::empty(), Some(FIVE)).await.unwrap();
    assert_eq!(a.args[0]["engine"], b.args[0]["engine"]);
    assert_eq!(b.args[0]["auth"], json!({"token": "good"}));
    let echoed = main.emit_raw_with_ack("echo", Payload::from_args(&(1, "a")).unwrap(), Some(FIVE)).await.unwrap();
    assert_eq!(echoed.args, vec![json!(1), json!("a")]);
    client.close();
}

#[wasm_bindgen_test]
async fn connect_error_with_data_and_auth_evaluated_again() {
    let calls = Rc::new(Cell::new(0));
    let counter = Rc::clone(&calls);
    let client = builder()
        .auth(move |_| {
            let n = counter.get();
            counter.set(n + 1);
            async move { Ok(json!({"token": if n == 0 { "bad" } else { "good" }})) }
        })
        .build();
    let private = client.socket("/private");
    assert_eq!(
        private.wait_connected().await.unwrap_err(),
        SocketState::Refused(ConnectError {
            message: "not authorized".into(),
            data: Some(json!({"code": "E_TOKEN", "token": "bad"}))
        })
    );
    private.connect();
    private.wait_connected().await.unwrap();
    assert_eq!(calls.get(), 2);
    client.close();
}

#[wasm_bindgen_test]
async fn server_asks_with_ack_and_ack_timeout() {
    let client = builder().build();
    let socket = client.socket("/");
    let mut events = socket.events();
    socket.wait_connected().await.unwrap();
    let asking = socket.clone();
    let asked = asking.emit_raw_with_ack("ask", Payload::from_arg(&41).unwrap(), Some(FIVE));
    let answer = async {
        let question = next_event(&mut events, "question").await;
        let n: u32 = question.payload.arg(0).unwrap();
        question.ack.unwrap().respond(&(n + 1)).unwrap();
        next_event(&mut events, "answered").await
    };
    let (asked, answered) = futures::join!(asked, answer);
    assert_eq!(asked.unwrap().args, vec![json!(true)]);
    assert_eq!(answered.payload.args, vec![json!(42)]);
    client.close();
}

#[wasm_bindgen_test]
async fn an_unanswered_ack_times_out_at_its_deadline_on_the_clock() {
    let clock = ManualClock::new();
    let client = builder().clock(clock.clone()).build();
    let socket = client.socket("/");
    socket.wait_connected().await.unwrap();
    // Polled once: the emit is queued to the client's task before the echo below.
    let mut lost = Box::pin(socket.emit_raw_with_ack("ignore", Payload::empty(), Some(Duration::from_millis(200))));
    assert!(futures::poll!(&mut lost).is_pending());
    socket.emit_raw_with_ack("echo", Payload::empty(), Some(FIVE)).await.unwrap();
    clock.advance(Duration::from_millis(199));
    settle(&socket).await;
    assert!(futures::poll!(&mut lost).is_pending(), "timed out before its deadline");
    clock.advance(MS);
    assert_eq!(timeout(5000, lost).await, Some(Err(AckError::Timeout)));
    client.close();
}

#[wasm_bindgen_test]
async fn binary_event_and_ack_with_two_attachments() {
    let client = builder().build();
    let socket = client.socket("/admin");
    let mut events = socket.events();
    socket.wait_connected().await.unwrap();
    let payload = Payload::from_args(&(Binary(vec![1, 2, 3]), Binary(vec![9; 300]))).unwrap();
    let acked = socket.emit_raw_with_ack("binary", payload, Some(FIVE)).await.unwrap();
    let (b, a): (Binary, Binary) = acked.args().unwrap();
    assert_eq!((a.0, b.0), (vec![1, 2, 3], vec![9; 300]));
    let back = next_event(&mut events, "binary-back").await;
    let (a, b): (Binary, Binary) = back.payload.args().unwrap();
    assert_eq!((a.0, b.0), (vec![1, 2, 3], vec![9; 300]));
    let asked = socket.emit_raw_with_ack("binary-ask", Payload::empty(), Some(FIVE));
    let answer = async {
        let question = next_event(&mut events, "binary-question").await;
        assert_eq!(question.payload.arg::<Binary>(0).unwrap(), Binary(vec![7, 7, 7]));
        question.ack.unwrap().respond_raw(Payload::from_args(&(Binary(vec![1; 5]), Binary(vec![2; 9]))).unwrap()).unwrap();
        next_event(&mut events, "binary-answer").await
    };
    let (asked, answer) = futures::join!(asked, answer);
    assert_eq!(asked.unwrap().args, vec![json!(true)]);
    assert_eq!(answer.payload.args, vec![json!([5, 9])]);
    client.close();
}

#[wasm_bindgen_test]
async fn server_disconnect_is_final() {
    let clock = ManualClock::new();
    let client = builder().clock(clock.clone()).build();
    let main = client.socket("/");
    main.wait_connected().await.unwrap();
    let mut state = client.watch_state();
    main.emit_raw("disconnect-me", Payload::empty()).await.unwrap();
    let closed = wait_for(&mut state, |s| matches!(s, ConnectionState::Closed { .. })).await;
    assert_eq!(closed, ConnectionState::Closed { reason: DisconnectReason::ServerDisconnect });
    // Whatever a reconnection would wait for has passed; the task has handled it.
    clock.advance(Duration::from_secs(60));
    settle(&main).await;
    assert_eq!(client.state(), closed);
    assert!(clock.deadlines().is_empty(), "nothing is scheduled: {:?}", clock.deadlines());
}

#[wasm_bindgen_test]
async fn stopped_pings_are_detected_and_pings_before_connect_reply_answered() {
    let client = builder().build();
    let slow = client.socket("/slow");
    // 800 ms of middleware with pings every 300 ms: answered, or the server would drop us
    slow.wait_connected().await.unwrap();
    let mut state = client.watch_state();
    let ConnectionState::Open { sid } = client.state() else { panic!("not open") };
    slow.emit_raw("stop-pinging", Payload::empty()).await.unwrap();
    let lost = wait_for(&mut state, |s| matches!(s, ConnectionState::Reconnecting { .. })).await;
    assert!(matches!(lost, ConnectionState::Reconnecting { reason: DisconnectReason::PingTimeout, .. }), "{lost:?}");
    wait_for(&mut state, |s| matches!(s, ConnectionState::Open { sid: new } if *new != sid)).await;
    slow.wait_connected().await.unwrap();
    client.close();
}

#[wasm_bindgen_test]
async fn oversize_frame_refused_and_recovery_replays_missed_event() {
    let client = builder().build();
    let socket = client.socket("/recovery");
    let mut events = socket.events();
    let sid = socket.wait_connected().await.unwrap();
    assert!(matches!(
        socket.emit_raw("echo", Payload::from_arg(&"x".repeat(12_000)).unwrap()).await,
        Err(EmitError::TooLarge { max: 10_000, .. })
    ));
    let mut state = socket.watch_state();
    socket.emit_raw("drop-me", Payload::empty()).await.unwrap();
    assert_eq!(next_event(&mut events, "before").await.payload.args, vec![json!(1)]);
    wait_for(&mut state, |s| matches!(s, SocketState::Disconnected { .. })).await;
    let back = wait_for(&mut state, |s| matches!(s, SocketState::Connected { .. })).await;
    assert_eq!(back, SocketState::Connected { sid, recovered: true });
    assert_eq!(next_event(&mut events, "missed").await.payload.args, vec![json!(42)]);
    client.close();
}

#[wasm_bindgen_test]
async fn server_restart_backs_off_and_evaluates_auth_again() {
    // Tests run one at a time (wasm-bindgen-test's concurrency is 1), so restarting the shared
    // server disturbs no other test; this one waits until it is back.
    let calls = Rc::new(Cell::new(0));
    let counter = Rc::clone(&calls);
    let clock = ManualClock::new();
    let client = builder()
        .clock(clock.clone())
        .auth(move |_| {
            counter.set(counter.get() + 1);
            async { Ok(json!({"token": "good"})) }
        })
        .build();
    let private = client.socket("/private");
    private.wait_connected().await.unwrap();
    let mut state = client.watch_state();
    state.borrow_and_update();
    private.emit_raw("restart", Payload::from_arg(&900).unwrap()).await.unwrap();
    // Each attempt waits its delay on the manual clock, and not a millisecond less; until the
    // server is back (on its own, real time), each attempt fails at once.
    let mut waits: Vec<(u32, Duration, DisconnectReason)> = Vec::new();
    loop {
        let last = waits.last().map_or(0, |w| w.0);
        let now = wait_for(&mut state, |s| match s {
            // Open again, once the connection was lost (it is still open before the server's close).
            ConnectionState::Open { .. } => last > 0,
            ConnectionState::Reconnecting { attempt, .. } => *attempt > last,
            _ => false,
        })
        .await;
        let ConnectionState::Reconnecting { attempt, delay, reason } = now else { break };
        waits.push((attempt, delay, reason));
        let started = clock.now();
        clock.advance(delay - MS);
        settle(&private).await;
        assert!(
            matches!(&*state.borrow(), ConnectionState::Reconnecting { attempt: a, .. } if *a == attempt),
            "attempt {attempt} dialed before its delay of {delay:?}: {:?}",
            state.borrow()
        );
        clock.advance(MS);
        assert_eq!(clock.now(), started + delay);
    }
    assert!(waits.len() >= 2, "{waits:?}");
    assert_eq!(waits[0].2, DisconnectReason::TransportClose);
    assert!(matches!(waits[1].2, DisconnectReason::TransportError(_)), "{:?}", waits[1]);
    // 100 ms doubling per attempt, ±50 % jitter, capped at 400 ms: from the fourth attempt on
    // (a server slow to come back) every delay is the cap.
    for (attempt, delay, _) in &waits {
        let base = 100u64 << (attempt - 1).min(8);
        let ms = delay.as_millis() as u64;
        assert!(ms >= (base / 2).min(400) && ms <= (base * 3 / 2).min(400), "attempt {attempt}: {ms} ms");
    }
    private.wait_connected().await.unwrap();
    assert!(calls.get() >= 2);
    client.close();
}
