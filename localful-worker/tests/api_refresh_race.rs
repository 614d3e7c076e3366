//! A refresh still in flight when the user logs in again: whatever the server answers it (a
//! refusal of the old token, or a rotation of the old session), the new login's tokens stay.
//! A scripted HTTP server holds the refresh answer until the login is done, so the interleaving is
//! the same on every run.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use localful_core::wire::{ErrorKind, Tokens};
use localful_worker::http::{Api, HttpError};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// How the scripted server answers `POST /v1/auth/refresh` once released.
#[derive(Clone, Copy)]
enum RefreshAnswer {
    Refused,
    Rotated,
}

struct ScriptedServer {
    url: String,
    refresh_arrived: Arc<Notify>,
    release_refresh: Arc<Notify>,
}

impl ScriptedServer {
    async fn start(answer: RefreshAnswer) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let refresh_arrived = Arc::new(Notify::new());
        let release_refresh = Arc::new(Notify::new());
        let (arrived, release) = (Arc::clone(&refresh_arrived), Arc::clone(&release_refresh));
        tokio::spawn(async move {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                let (arrived, release) = (Arc::clone(&arrived), Arc::clone(&release));
                tokio::spawn(answer_one(socket, answer, arrived, release));
            }
        });
        ScriptedServer { url, refresh_arrived, release_refresh }
    }
}

async fn answer_one(mut socket: TcpStream, answer: RefreshAnswer, arrived: Arc<Notify>, release: Arc<Notify>) {
    let path = read_request_path(&mut socket).await;
    let (status, body) = match path.as_str() {
        "/v1/auth/login" => ("200 OK", tokens_body("login", true)),
        "/v1/auth/refresh" => {
            arrived.notify_one();
            release.notified().await;
            match answer {
                RefreshAnswer::Refused => (
                    "401 Unauthorized",
                    r#"{"statusCode":401,"identifier":"auth-token-invalid","message":"revoked","context":null}"#.to_owned(),
                ),
                RefreshAnswer::Rotated => ("200 OK", tokens_body("rotated", false)),
            }
        }
        other => panic!("the scripted server was not asked for {other}"),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(response.as_bytes()).await.unwrap();
}

/// Reads one request (headers and `content-length` body) and returns its path.
async fn read_request_path(socket: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut chunk = [0_u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the client closed before a whole request");
        bytes.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let Some(end) = text.find("\r\n\r\n") else { continue };
        let length = text[..end]
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()))
            .unwrap_or(0);
        if bytes.len() >= end + 4 + length {
            return text.split_whitespace().nth(1).unwrap().to_owned();
        }
    }
}

fn tokens_body(prefix: &str, with_user: bool) -> String {
    let user = if with_user {
        concat!(
            r#""user":{"id":"0192e4c0-0000-4000-8000-000000000001","email":"a@example.test","displayName":"A","#,
            r#""verifiedAt":null,"firstVerifiedAt":null,"role":"user","createdAt":"2026-01-02T03:04:05.678Z","#,
            r#""updatedAt":"2026-01-02T03:04:05.678Z"},"#
        )
    } else {
        ""
    };
    format!(r#"{{{user}"tokens":{{"accessToken":"{prefix}-access","refreshToken":"{prefix}-refresh"}}}}"#)
}

fn login_tokens() -> Tokens {
    Tokens { access_token: "login-access".into(), refresh_token: "login-refresh".into() }
}

/// An `Api` holding the old session's tokens, and every token change its listener was told.
fn api_with_old_session(url: &str) -> (Api, Arc<Mutex<Vec<Option<Tokens>>>>) {
    let told: Arc<Mutex<Vec<Option<Tokens>>>> = Arc::default();
    let sink = Arc::clone(&told);
    let api = Api::new(url).with_listener(Arc::new(move |t: Option<&Tokens>| sink.lock().unwrap().push(t.cloned())));
    api.set_tokens(Some(Tokens { access_token: "old-access".into(), refresh_token: "old-refresh".into() }));
    (api, told)
}

/// Starts a refresh, logs in while the server holds its answer, then lets the answer through.
async fn refresh_overtaken_by_a_login(answer: RefreshAnswer) -> (Api, Result<Tokens, HttpError>, Vec<Option<Tokens>>) {
    let server = ScriptedServer::start(answer).await;
    let (api, told) = api_with_old_session(&server.url);
    let refreshing = tokio::spawn({
        let api = api.clone();
        async move { api.refresh().await }
    });
    server.refresh_arrived.notified().await;
    api.login("a@example.test", "server password").await.unwrap();
    server.release_refresh.notify_one();
    let refreshed = refreshing.await.unwrap();
    let told = told.lock().unwrap().clone();
    (api, refreshed, told)
}

#[tokio::test]
async fn a_refused_refresh_of_the_old_session_leaves_the_new_login_in_place() {
    let (api, refreshed, told) = refresh_overtaken_by_a_login(RefreshAnswer::Refused).await;
    assert_eq!(api.tokens(), Some(login_tokens()), "the login's tokens were cleared by the old refusal");
    assert_eq!(refreshed.unwrap(), login_tokens(), "the caller goes on with the new session");
    assert_eq!(told, vec![Some(login_tokens())], "tabs were told to forget the new session's token");
}

#[tokio::test]
async fn a_rotation_of_the_old_session_does_not_replace_the_new_login() {
    let (api, refreshed, told) = refresh_overtaken_by_a_login(RefreshAnswer::Rotated).await;
    assert_eq!(api.tokens(), Some(login_tokens()), "the old session's rotation replaced the login");
    assert_eq!(refreshed.unwrap(), login_tokens());
    assert_eq!(told, vec![Some(login_tokens())]);
}

#[tokio::test]
async fn without_a_login_in_between_a_refused_refresh_ends_the_session() {
    let server = ScriptedServer::start(RefreshAnswer::Refused).await;
    let (api, told) = api_with_old_session(&server.url);
    server.release_refresh.notify_one();
    let refreshed = api.refresh().await;
    assert_eq!(refreshed.unwrap_err().kind(), Some(&ErrorKind::AuthTokenInvalid));
    assert_eq!(api.tokens(), None);
    assert_eq!(told.lock().unwrap().clone(), vec![None]);
}
