//! A login storm against a real server process at the default argon2id cost: 200 concurrent
//! logins (right and wrong passwords, unknown emails) keep its peak memory within a bound set by
//! the number of concurrent hashes, every answer is 200, 401 or 503 (never a 500), every 503 is
//! `system-busy` with a `Retry-After`, and the server serves a login afterwards.
#![allow(clippy::unwrap_used)]

mod support;

use futures::future::join_all;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use support::{TempDir, process::Proc};

/// Concurrent logins of the storm.
const LOGINS: usize = 200;
/// The default argon2id memory cost, in KiB (19 MiB): what each hashing thread holds.
const HASH_KIB: u64 = 19_456;
/// Per hashing thread beyond its hash memory: its stack and the allocator's rounding.
const PER_HASH_OVERHEAD_KIB: u64 = 2 * 1024;
/// Everything else the storm costs whatever the bound: 200 connections with their buffers and
/// tasks, the queued requests, the database's caches, and allocator fragmentation.
const MARGIN_KIB: u64 = 48 * 1024;

/// The bound on the server's peak resident memory (`VmHWM`): its resident memory once started,
/// plus `N` concurrent hashes × (19 MiB + 2 MiB), plus a 48 MiB margin — where `N` is the default
/// concurrency, the CPUs this process may use (the server derives it the same way; inherited
/// `LOCALFUL_*` settings are cleared). Without the bound every one of the 200 logins would hash
/// at once: 200 × 19 MiB ≈ 3.8 GiB.
fn bound_kib(start_kib: u64, concurrency: u64) -> u64 {
    start_kib + concurrency * (HASH_KIB + PER_HASH_OVERHEAD_KIB) + MARGIN_KIB
}

/// What a login sends and which answer (besides 503) it expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Attempt {
    Right,
    WrongPassword,
    UnknownEmail,
}

#[tokio::test]
async fn two_hundred_concurrent_logins_keep_memory_bounded() {
    let dir = TempDir::new();
    let data_dir = dir.0.to_string_lossy().into_owned();
    let server = Proc::spawn(&[
        ("LOCALFUL_DATA_DIR", &data_dir),
        ("LOCALFUL_ARGON2_MEMORY_KIB", "19456"),
        ("LOCALFUL_ARGON2_ITERATIONS", "2"),
        // Every login must reach the password check: no rate limit in the way.
        ("LOCALFUL_AUTH_RATE_LIMIT", "1000000"),
        ("RUST_LOG", "warn,localful_server::serve=info"),
    ])
    .await;
    let start_kib = server.status_kib("VmRSS");
    let concurrency = std::thread::available_parallelism().map_or(1, std::num::NonZero::get) as u64;
    let http = reqwest::Client::new();
    let (email, password) = ("storm@example.test", "correct-horse-battery");
    let register = json!({"email": email, "displayName": "Storm", "password": password});
    let res = http.post(format!("{}/v1/users", server.base)).json(&register).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201);

    let attempts = (0..LOGINS).map(|i| match i % 4 {
        0 | 1 => Attempt::Right,
        2 => Attempt::WrongPassword,
        _ => Attempt::UnknownEmail,
    });
    let answers = join_all(attempts.map(|attempt| {
        let (http, base) = (http.clone(), server.base.clone());
        async move {
            let body = match attempt {
                Attempt::Right => json!({"email": email, "password": password}),
                Attempt::WrongPassword => json!({"email": email, "password": "wrong-password"}),
                Attempt::UnknownEmail => json!({"email": format!("{}@example.test", uuid::Uuid::new_v4()), "password": password}),
            };
            let res = http.post(format!("{base}/v1/auth/login")).json(&body).send().await.unwrap();
            let retry_after = res.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            (attempt, res.status().as_u16(), retry_after, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    }))
    .await;
    let peak_kib = server.status_kib("VmHWM");

    let mut counts = BTreeMap::<(Attempt, u16), usize>::new();
    for (attempt, status, retry_after, body) in &answers {
        *counts.entry((*attempt, *status)).or_default() += 1;
        match (attempt, status) {
            (Attempt::Right, 200) | (Attempt::WrongPassword | Attempt::UnknownEmail, 401) => {}
            (_, 503) => {
                assert_eq!(body["identifier"], "system-busy", "{body}");
                assert!(retry_after.is_some_and(|s| s >= 1), "a 503 without Retry-After: {body}");
            }
            _ => panic!("{attempt:?} answered {status}: {body}"),
        }
    }
    let bound = bound_kib(start_kib, concurrency);
    eprintln!(
        "login storm: {LOGINS} logins, {concurrency} concurrent hashes; answers {counts:?}; RSS at start {} MiB, peak {} MiB, bound {} MiB",
        start_kib / 1024,
        peak_kib / 1024,
        bound / 1024
    );
    assert!(peak_kib <= bound, "peak RSS {peak_kib} KiB over the bound {bound} KiB");

    // Once the storm has passed, the server serves a login.
    let res =
        http.post(format!("{}/v1/auth/login", server.base)).json(&json!({"email": email, "password": password})).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
}
