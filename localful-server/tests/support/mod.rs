//! Shared test support: servers on SQLite and (when `LOCALFUL_TEST_POSTGRES_URL` is set) Postgres,
//! each on a [`ManualClock`], an HTTP helper, fixtures, and a driver for the official Node
//! socket.io client.
//!
//! Tools a suite needs (Postgres, node and `socket.io-client`) are required when the environment
//! variable `CI` is non-empty: a missing one fails the test. Outside CI the test prints why it
//! skips and passes.
#![allow(dead_code, unreachable_pub)]

pub mod process;

use localful_server::{Config, ManualClock, Server};
use reqwest::Method;
use serde_json::{Value, json};
use std::{
    future::Future,
    path::PathBuf,
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    sync::mpsc,
};

pub const PG_ENV: &str = "LOCALFUL_TEST_POSTGRES_URL";

/// A database to run against.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    /// SQLite always; Postgres when `LOCALFUL_TEST_POSTGRES_URL` is set (else a failure in CI, a
    /// printed skip outside it).
    #[track_caller]
    pub fn all() -> Vec<Backend> {
        let mut v = vec![Backend::Sqlite];
        if let Some(url) = Self::postgres("postgres runs") {
            v.push(Backend::Postgres(url));
        }
        v
    }

    /// The Postgres URL of `LOCALFUL_TEST_POSTGRES_URL`; without it, fails in CI and skips `what`
    /// (with a note) outside it.
    #[track_caller]
    pub fn postgres(what: &str) -> Option<String> {
        let url = std::env::var(PG_ENV).ok().filter(|u| !u.is_empty());
        if url.is_none() {
            missing(&format!("{what}: {PG_ENV} is not set"));
        }
        url
    }
}

/// Whether this is a CI run (`CI` set and non-empty): missing tools are then failures.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty())
}

/// A tool a test needs is missing: panics in CI, prints a skip note outside it.
#[track_caller]
pub fn missing(why: &str) {
    if in_ci() {
        panic!("{why} (required because CI is set)");
    }
    skip_note(&format!("skipped: {why}"));
}

/// Whether node and `socket.io-client` are available for `what`; if not, fails in CI and prints a
/// skip note outside it.
#[track_caller]
pub fn node_ready(what: &str) -> bool {
    let node = std::process::Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !node {
        missing(&format!("{what}: node is not on PATH"));
        return false;
    }
    if node_modules().is_none() {
        missing(&format!("{what}: socket.io-client not found (npm ci in tests/js, or set LOCALFUL_TEST_NODE_MODULES)"));
        return false;
    }
    true
}

/// Polls `check` until it holds, failing with `what` after `secs` seconds: for a state that
/// gives no event to wait on (the one polling helper of these tests; the deadline only bounds a
/// failure).
pub async fn eventually<F: Future<Output = bool>>(what: &str, secs: u64, mut check: impl FnMut() -> F) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "not within {secs} s: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Prints `msg` once per test binary, straight to stderr so that libtest's capture does not
/// hide it.
pub fn skip_note(msg: &str) {
    use std::io::Write as _;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(std::io::stderr(), "note: {msg}");
    });
}

/// A directory removed on drop.
pub struct TempDir(pub PathBuf);
impl TempDir {
    pub fn new() -> Self {
        let p = std::env::temp_dir().join(format!("localful-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&p).expect("mkdir");
        Self(p)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh Postgres schema on `url` (isolates one test); returns a URL whose connections use it.
pub async fn fresh_pg_schema(url: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let schema = format!("lft_{}", uuid::Uuid::new_v4().simple());
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect to postgres");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).execute(&mut c).await.expect("create schema");
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

/// Drops the schema a [`fresh_pg_schema`] URL points at (a failed test leaves its schema for
/// inspection; every run uses new ones, so reruns never collide).
pub async fn drop_pg_schema(base: &str, schema_url: &str) {
    use sqlx::Connection;
    let Some(schema) = schema_url.rsplit("search_path%3D").next().filter(|s| s.starts_with("lft_")) else { return };
    if let Ok(mut c) = sqlx::AnyConnection::connect(base).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))).execute(&mut c).await;
    }
}

/// A running server.
pub struct Ctx {
    pub base: String,
    pub backend: Backend,
    pub http: reqwest::Client,
    pub config: Config,
    /// The server's clock, standing still until a test moves it (`ctx.clock.advance(..)`).
    /// It starts on a whole second, so a token's `exp` and its session's expiry coincide. For a
    /// [`Ctx::remote`] server (another process, on the wall clock) it drives nothing.
    pub clock: ManualClock,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<()>>,
    _dir: TempDir,
}

impl Ctx {
    /// Starts a server on `backend` with the test configuration changed by `tweak`.
    pub async fn start(backend: &Backend, tweak: impl FnOnce(&mut Config)) -> Ctx {
        let dir = TempDir::new();
        let mut config = Config::for_tests(&dir.0);
        if let Backend::Postgres(url) = backend {
            config.database_url = Some(fresh_pg_schema(url).await);
        }
        tweak(&mut config);
        Self::start_with(backend, config, dir).await
    }

    /// Starts a server with exactly `config`, on a fresh [`ManualClock`].
    pub async fn start_with(backend: &Backend, config: Config, dir: TempDir) -> Ctx {
        let clock = ManualClock::at_current_second();
        let server = Server::bind_with_clock(config.clone(), Arc::new(clock.clone())).await.expect("bind");
        let base = format!("http://{}", server.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let done = tokio::spawn(async move {
            let _ = server
                .run(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Ctx { base, backend: backend.clone(), http: reqwest::Client::new(), config, clock, stop: Some(tx), done: Some(done), _dir: dir }
    }

    /// A client of a server running elsewhere (another process) at `base`.
    pub fn remote(base: &str, backend: &Backend) -> Ctx {
        let dir = TempDir::new();
        let config = Config::for_tests(&dir.0);
        let clock = ManualClock::at_current_second();
        Ctx { base: base.into(), backend: backend.clone(), http: reqwest::Client::new(), config, clock, stop: None, done: None, _dir: dir }
    }

    /// Stops the server gracefully, waits for it, and drops its Postgres test schema.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(done) = self.done.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), done).await;
        }
        if let (Backend::Postgres(base), Some(url)) = (&self.backend, &self.config.database_url) {
            drop_pg_schema(base, url).await;
        }
    }

    /// A connection of the test's own to the server's database, to look at what was written.
    pub async fn db(&self) -> sqlx::AnyConnection {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.config.effective_database_url()).await.expect("connect to the server's database")
    }

    pub fn label(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// A JSON request; returns status and body (`Value::Null` if the body is not JSON).
    pub async fn req(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let mut r = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        let res = r.send().await.expect("send");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A request with a raw body and content type.
    pub async fn raw(&self, method: Method, path: &str, token: Option<&str>, content_type: &str, body: &str) -> (u16, Value) {
        let mut r = self.http.request(method, format!("{}{}", self.base, path)).header("content-type", content_type).body(body.to_string());
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let res = r.send().await.expect("send");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        self.req(Method::GET, path, Some(token), None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        self.req(Method::POST, path, token, Some(body)).await
    }

    /// Registers a fresh user.
    pub async fn user(&self) -> TestUser {
        let email = format!("u-{}@example.test", uuid::Uuid::new_v4().simple());
        let (s, b) = self.post("/v1/users", None, json!({"email": email, "displayName": "Tester", "password": "correct-horse-battery"})).await;
        assert_eq!(s, 201, "register: {b}");
        TestUser {
            id: b["user"]["id"].as_str().expect("id").into(),
            email,
            access: b["tokens"]["accessToken"].as_str().expect("access").into(),
            refresh: b["tokens"]["refreshToken"].as_str().expect("refresh").into(),
        }
    }

    pub async fn vault(&self, u: &TestUser) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let (s, b) = self.post("/v1/vaults", Some(&u.access), vault_body(&id)).await;
        assert_eq!(s, 201, "vault: {b}");
        id
    }

    pub async fn item(&self, u: &TestUser, vault: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let (s, b) = self.post("/v1/items", Some(&u.access), item_body(&id, vault)).await;
        assert_eq!(s, 201, "item: {b}");
        id
    }

    pub async fn version(&self, u: &TestUser, item: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let (s, b) = self.post("/v1/versions", Some(&u.access), version_body(&id, item)).await;
        assert_eq!(s, 201, "version: {b}");
        id
    }

    pub async fn ticket(&self, u: &TestUser) -> String {
        let (s, b) = self.post("/v1/sync/ticket", Some(&u.access), json!({})).await;
        assert_eq!(s, 200, "ticket: {b}");
        b["ticket"].as_str().expect("ticket").into()
    }
}

#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: String,
    pub email: String,
    pub access: String,
    pub refresh: String,
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub const T0: &str = "2026-01-02T03:04:05.678Z";

pub fn vault_body(id: &str) -> Value {
    json!({"id": id, "name": format!("vault {id}"), "protectedEncryptionKey": "v1:a2V5:Y2lwaGVy", "protectedData": "v1:bWV0YQ==:ZGF0YQ==", "createdAt": T0})
}
pub fn item_body(id: &str, vault: &str) -> Value {
    json!({"id": id, "vaultId": vault, "type": "note", "createdAt": T0})
}
pub fn version_body(id: &str, item: &str) -> Value {
    json!({"id": id, "itemId": item, "protectedData": "v1:aXY=:ZGF0YQ==", "deviceName": "laptop", "schemaVersion": 1, "createdAt": T0})
}

/// The tables the server writes.
pub const TABLES: [&str; 7] = ["users", "sessions", "tickets", "vaults", "items", "versions", "changes"];

/// The number of rows of each table, and each vault's `last_seq` and `used_bytes` (in [`TABLES`]
/// order, then per vault): equal before and after a request means it wrote nothing.
pub async fn db_state(db: &mut sqlx::AnyConnection) -> Vec<i64> {
    use sqlx::Row;
    let mut state = Vec::new();
    for table in TABLES {
        let count = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")));
        state.push(count.fetch_one(&mut *db).await.expect("count rows").get::<i64, _>(0));
    }
    let vaults = sqlx::query("SELECT last_seq, used_bytes FROM vaults ORDER BY id").fetch_all(&mut *db).await.expect("vaults");
    for v in vaults {
        state.extend([v.get::<i64, _>(0), v.get::<i64, _>(1)]);
    }
    state
}

/// Asserts a SPEC error body with `status` and `identifier`.
#[track_caller]
pub fn assert_err(got: &(u16, Value), status: u16, identifier: &str, what: &str) {
    assert_eq!(got.0, status, "{what}: status, body {}", got.1);
    assert_eq!(got.1["identifier"], identifier, "{what}: identifier, body {}", got.1);
    assert_eq!(got.1["statusCode"], status, "{what}: statusCode in body");
    assert!(got.1["message"].is_string(), "{what}: message");
}

/// The official Node socket.io client, driven line by line (see `sio_client.js`).
pub struct Sio {
    child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    rx: mpsc::UnboundedReceiver<Value>,
    backlog: Vec<Value>,
    next_id: AtomicU64,
}

/// Where `socket.io-client` is installed, or `None` (see [`node_ready`]).
pub fn node_modules() -> Option<PathBuf> {
    let dir = std::env::var("LOCALFUL_TEST_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/js/node_modules"));
    dir.join("socket.io-client").exists().then_some(dir)
}

impl Sio {
    /// Connects to `base` with CONNECT auth `auth` and an `Origin` header.
    pub async fn connect(base: &str, auth: Value, origin: Option<&str>) -> Sio {
        let modules = node_modules().expect("socket.io-client not installed (run npm ci in tests/js)");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/sio_client.js");
        let mut cmd = tokio::process::Command::new("node");
        cmd.arg(script).arg(base).arg(auth.to_string());
        if let Some(o) = origin {
            cmd.arg(o);
        }
        let mut child = cmd
            .env("NODE_PATH", modules)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn node");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    let _ = tx.send(v);
                }
            }
        });
        Sio { child, stdin, rx, backlog: Vec::new(), next_id: AtomicU64::new(1) }
    }

    /// Connects with the allowed test origin and expects success.
    pub async fn connected(base: &str, ticket: &str) -> Sio {
        let mut s = Sio::connect(base, json!({"ticket": ticket}), Some("http://allowed.test")).await;
        let first = s.next(|m| m["type"] == "connect" || m["type"] == "connect_error", 10).await;
        assert_eq!(first.as_ref().map(|m| m["type"].clone()), Some(json!("connect")), "connect: {first:?}");
        s
    }

    /// The next message matching `pred` within `secs` seconds (others are kept for later).
    pub async fn next(&mut self, pred: impl Fn(&Value) -> bool, secs: u64) -> Option<Value> {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return Some(self.backlog.remove(i));
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(m)) if pred(&m) => return Some(m),
                Ok(Some(m)) => self.backlog.push(m),
                _ => return None,
            }
        }
    }

    /// Waits for the message matching `marker` (caused after whatever must not arrive) and
    /// returns, draining them, the unread messages that came before it: socket.io delivers in
    /// order on one socket, so anything the server sent before the marker is among them.
    pub async fn before(&mut self, marker: impl Fn(&Value) -> bool, secs: u64) -> Vec<Value> {
        if let Some(i) = self.backlog.iter().position(&marker) {
            let mut earlier: Vec<Value> = self.backlog.drain(..=i).collect();
            earlier.pop();
            return earlier;
        }
        if self.next(&marker, secs).await.is_none() {
            panic!("no marker within {secs} s; unread: {:?}", self.backlog);
        }
        std::mem::take(&mut self.backlog)
    }

    /// Drains the messages received but not read: after a read (an ack, an event), those that
    /// came before it.
    pub fn unread(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.backlog)
    }

    /// The next server event named `event`.
    pub async fn event(&mut self, event: &str, secs: u64) -> Option<Value> {
        self.next(|m| m["type"] == "event" && m["event"] == event, secs).await.map(|m| m["data"].clone())
    }

    /// Emits `event` with `data` and waits for the ack.
    pub async fn emit(&mut self, event: &str, data: Value) -> Value {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let line = format!("{}\n", json!({"id": id, "event": event, "data": data}));
        self.stdin.write_all(line.as_bytes()).await.expect("write");
        let ack = self.next(|m| m["type"] == "ack" && m["id"] == id, 15).await.expect("ack in time");
        assert!(ack.get("error").is_none(), "ack error: {ack}");
        ack["data"].clone()
    }

    /// Disconnects and waits for the node client to exit.
    pub async fn close(mut self) {
        let _ = self.stdin.write_all(b"{\"cmd\":\"close\"}\n").await;
        let exited = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
        assert!(exited.is_ok(), "the node socket.io client did not exit within 10 s of close");
    }
}
