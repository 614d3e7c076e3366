//! The bound on password hashing over real HTTP: with every turn to hash taken, logins and
//! registrations queue up to the bound, the next is refused at once, the queued ones when their
//! wait (on the server's clock) ends — each `503 system-busy` with `Retry-After` — and nothing is
//! written; once a turn frees, the same requests succeed. Inside the crate: the test takes the
//! gate's turns itself, as long-running hashes would, so nothing depends on how fast hashing is.
#![allow(clippy::unwrap_used)]

use crate::{AppState, Config, ManualClock, routes::app};
use serde_json::{Value, json};
use std::{net::SocketAddr, sync::Arc, time::Duration};

/// A request's status, `Retry-After` header, CORS-exposed headers and JSON body.
struct Answer {
    status: u16,
    retry_after: Option<String>,
    exposed: Option<String>,
    body: Value,
}

async fn post(http: &reqwest::Client, base: &str, path: &str, body: Value) -> Answer {
    let res = http.post(format!("{base}{path}")).header("origin", "http://allowed.test").json(&body).send().await.unwrap();
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (retry_after, exposed) = (header("retry-after"), header("access-control-expose-headers"));
    Answer { status: res.status().as_u16(), retry_after, exposed, body: res.json().await.unwrap_or(Value::Null) }
}

/// Waits until `places` places are left in the gate: the requests sent before are queued.
async fn queued_until(state: &AppState, places: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while state.hashing.places_left() != places {
        assert!(tokio::time::Instant::now() < deadline, "requests not queued: {} places left", state.hashing.places_left());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[track_caller]
fn assert_busy(a: &Answer, what: &str) {
    assert_eq!((a.status, a.body["identifier"].as_str()), (503, Some("system-busy")), "{what}: {}", a.body);
    assert_eq!(a.retry_after.as_deref(), Some("5"), "{what}: Retry-After is the longest wait");
    assert_eq!(a.body["context"]["retryAfterSeconds"], 5, "{what}");
    assert!(a.exposed.as_deref().is_some_and(|h| h.contains("retry-after")), "{what}: a page can read Retry-After");
}

#[tokio::test]
async fn password_hashing_waits_in_a_bounded_queue_then_answers_system_busy() {
    let dir = std::env::temp_dir().join(format!("localful-busy-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut config = Config::for_tests(&dir);
    (config.password_hash_concurrency, config.password_hash_queue, config.password_hash_wait_secs) = (Some(1), Some(1), 5);
    let clock = ManualClock::at_current_second();
    let state = AppState::connect_with_clock(config, Arc::new(clock.clone())).await.unwrap();
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let svc = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, svc).await });
    let http = reqwest::Client::new();
    let (email, password) = ("busy@example.test", "correct-horse-battery");
    let created = post(&http, &base, "/v1/users", json!({"email": email, "displayName": "B", "password": password})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let login = |password: &str| json!({"email": email, "password": password});

    // Every turn taken: one login and one registration wait (one running place, one queued).
    let turns = state.hashing.occupy().await;
    let (h, b) = (http.clone(), base.clone());
    let waiting_login =
        tokio::spawn(
            async move { post(&h, &b, "/v1/auth/login", json!({"email": "busy@example.test", "password": "wrong-password"})).await },
        );
    queued_until(&state, 1).await;
    let (h, b) = (http.clone(), base.clone());
    let new_user = json!({"email": "late@example.test", "displayName": "L", "password": "late-password"});
    let waiting_register = tokio::spawn(async move { post(&h, &b, "/v1/users", new_user).await });
    queued_until(&state, 0).await;

    // The queue is full: refused at once, whether the email exists or not.
    assert_busy(&post(&http, &base, "/v1/auth/login", login(password)).await, "login, queue full");
    assert_busy(
        &post(&http, &base, "/v1/auth/login", json!({"email": "nobody@example.test", "password": "x"})).await,
        "unknown email, queue full",
    );
    // The queued ones are refused when their wait ends on the server's clock.
    clock.advance(Duration::from_secs(5));
    assert_busy(&waiting_login.await.unwrap(), "queued login, waited 5 s");
    assert_busy(&waiting_register.await.unwrap(), "queued registration, waited 5 s");
    assert_eq!(state.hashing.places_left(), 2, "the refused requests left the queue");

    // A turn frees: the server serves the same requests, and the refused registration wrote nothing.
    drop(turns);
    assert_eq!(post(&http, &base, "/v1/auth/login", login(password)).await.status, 200);
    assert_eq!(post(&http, &base, "/v1/auth/login", login("wrong-password")).await.status, 401);
    let late = post(&http, &base, "/v1/auth/login", json!({"email": "late@example.test", "password": "late-password"})).await;
    assert_eq!(late.status, 401, "the refused registration created its user: {}", late.body);

    server.abort();
    state.pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
