//! Test support: the official Node server as a child process, and waiting helpers.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use futures::StreamExt;
use localful_worker::client::watch;
use localful_worker::client::EventStream;
use localful_worker::session::Backoff;
use localful_worker::{Client, ClientBuilder, IncomingEvent, Payload, Socket};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The official socket.io server (`tests/js/socketio-conformance-server.mjs`) on a free port,
/// killed when dropped.
pub struct NodeServer {
    pub port: u16,
    child: Child,
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

/// Whether this run is CI (`CI` set and non-empty): there, a missing tool fails the test.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty())
}

/// Fails in CI, and otherwise says why the test is skipped.
pub fn missing(what: &str) {
    assert!(!in_ci(), "{what} (CI is set: a missing tool fails the run)");
    eprintln!("skipped: {what}");
}

impl NodeServer {
    /// Starts the server; `None` (after saying why) when node or the npm packages are missing
    /// outside CI. In CI that panics instead.
    pub async fn start() -> Option<Self> {
        let js = repo_root().join("tests/js");
        if !js.join("node_modules/socket.io").is_dir() {
            missing("tests/js/node_modules is missing: run scripts/test.sh (it installs the pinned npm packages), or `npm ci` in tests/js");
            return None;
        }
        if std::process::Command::new("node").arg("--version").output().is_err() {
            missing("cannot run `node`: install Node.js (see scripts/test.sh)");
            return None;
        }
        let port = free_port();
        let mut child = Command::new("node")
            .arg("socketio-conformance-server.mjs")
            .current_dir(&js)
            .env("LOCALFUL_SIO_PORT", port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("cannot run `node`: install Node.js (see scripts/test.sh)");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(15), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.starts_with("listening") {
                    return true;
                }
            }
            false
        })
        .await;
        assert_eq!(ready, Ok(true), "the node server did not start");
        // keep draining stdout so the child never blocks on a full pipe
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Some(Self { port, child })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for NodeServer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// A fast backoff so reconnection tests stay short: 100 ms doubling to 400 ms, ±50 %.
pub fn fast_backoff() -> Backoff {
    Backoff { min: Duration::from_millis(100), max: Duration::from_millis(400), factor: 2, jitter: 0.5 }
}

pub fn builder(url: &str) -> ClientBuilder {
    Client::builder(url).backoff(fast_backoff()).connect_timeout(Duration::from_secs(3))
}

/// A round trip through the client's task: an event emitted on `socket` has been handled (sent,
/// buffered or refused) once this returns, so everything the task had to do before it is done.
/// Twice, so that the task has also finished the turn in which it handled the first.
pub async fn settle(socket: &Socket) {
    for _ in 0..2 {
        let _ = socket.emit_raw("marker", Payload::empty()).await;
    }
}

/// Waits until the watched value satisfies `pred`, returning it; panics after `secs`.
pub async fn wait_for<T: Clone + std::fmt::Debug>(
    rx: &mut watch::Receiver<T>,
    secs: u64,
    pred: impl Fn(&T) -> bool,
) -> T {
    let result = tokio::time::timeout(Duration::from_secs(secs), async {
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
    match result {
        Ok(v) => v,
        Err(_) => panic!("timed out; last value {:?}", rx.borrow().clone()),
    }
}

/// The next event named `name` (others are skipped); panics after 5 s.
pub async fn next_event(events: &mut EventStream, name: &str) -> IncomingEvent {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let event = events.next().await.expect("event stream ended");
            if event.name == name {
                return event;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {name:?} event within 5 s"))
}
