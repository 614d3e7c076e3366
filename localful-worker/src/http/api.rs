//! [`Api`]: typed calls with token refresh.

use super::HttpError;
use super::fetch::{Client, client, fetch};
use super::fetch_answer::Answer;
use futures::lock::Mutex as AsyncMutex;
use localful_core::wire::{
    AuthResponse, ChangesPage, ErrorBody, ErrorKind, LoginRequest, RefreshRequest, RegisterRequest, Snapshot,
    TicketResponse, Tokens, User, VaultCreateRequest, WireVault, WireVersion,
};
use localful_core::{VaultId, VersionId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex};

/// Told about every new pair of tokens (and `None` on logout), to persist the refresh token.
#[cfg(not(target_arch = "wasm32"))]
pub type TokenListener = Arc<dyn Fn(Option<&Tokens>) + Send + Sync>;
/// Told about every new pair of tokens (and `None` on logout), to persist the refresh token.
#[cfg(target_arch = "wasm32")]
pub type TokenListener = Arc<dyn Fn(Option<&Tokens>)>;

/// A client of one server's HTTP API. Cheap to clone; clones share the tokens.
#[derive(Clone)]
pub struct Api {
    base: String,
    client: Client,
    tokens: Arc<Mutex<Option<Tokens>>>,
    refreshing: Arc<AsyncMutex<()>>,
    listener: Option<TokenListener>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api").field("base", &self.base).field("logged_in", &self.is_logged_in()).finish()
    }
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, HttpError> {
    serde_json::from_str(text)
        .map_err(|e| HttpError::Decode(format!("{e}: {}", text.chars().take(200).collect::<String>())))
}

fn server_error(answer: &Answer) -> HttpError {
    let Answer { status, text, retry_after } = answer;
    let body = serde_json::from_str::<ErrorBody>(text).unwrap_or_else(|_| ErrorBody {
        status_code: *status,
        identifier: ErrorKind::SystemUnexpected,
        message: text.chars().take(200).collect(),
        context: None,
    });
    // The header, or the same number in the body (`context.retryAfterSeconds`) where a page may
    // not read the header of a cross-origin answer.
    let in_body = body.context.as_ref().and_then(|c| c.retry_after_seconds);
    HttpError::Server { status: *status, retry_after: retry_after.or(in_body), body }
}

impl Api {
    /// A client of the server at `base_url` (`http://host:port`, without `/v1`).
    pub fn new(base_url: impl Into<String>) -> Self {
        let base = base_url.into().trim_end_matches('/').to_owned();
        Self { base, client: client(), tokens: Arc::default(), refreshing: Arc::default(), listener: None }
    }

    /// Calls `listener` with every new pair of tokens (to persist the refresh token).
    pub fn with_listener(mut self, listener: TokenListener) -> Self {
        self.listener = Some(listener);
        self
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The current tokens.
    pub fn tokens(&self) -> Option<Tokens> {
        self.tokens.lock().ok().and_then(|t| t.clone())
    }

    /// Whether there is a session.
    pub fn is_logged_in(&self) -> bool {
        self.tokens().is_some()
    }

    /// Replaces the tokens (a stored refresh token at start-up: pass an empty access token, the
    /// first call refreshes). Does not call the listener.
    pub fn set_tokens(&self, tokens: Option<Tokens>) {
        if let Ok(mut t) = self.tokens.lock() {
            *t = tokens;
        }
    }

    /// Takes over a session opened elsewhere (a login or registration the page made over HTTP):
    /// the tokens replace the current ones and, as after this client's own login, the listener is
    /// told (so the refresh token is persisted).
    pub fn adopt(&self, tokens: Tokens) {
        self.store_tokens(Some(tokens));
    }

    fn store_tokens(&self, tokens: Option<Tokens>) {
        self.set_tokens(tokens.clone());
        if let Some(listener) = &self.listener {
            listener(tokens.as_ref());
        }
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<&B>,
    ) -> Result<T, HttpError> {
        let body = body.map(serde_json::to_string).transpose().map_err(|e| HttpError::Decode(e.to_string()))?;
        let url = format!("{}{}", self.base, path);
        let answer = fetch(&self.client, method, &url, bearer, body).await?;
        if (200..300).contains(&answer.status) { decode(&answer.text) } else { Err(server_error(&answer)) }
    }

    async fn authed<B: Serialize, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, HttpError> {
        let access = self.tokens().ok_or(HttpError::NotLoggedIn)?.access_token;
        let first = if access.is_empty() {
            Err(HttpError::Server {
                status: 401,
                body: ErrorBody {
                    status_code: 401,
                    identifier: ErrorKind::AuthTokenInvalid,
                    message: String::new(),
                    context: None,
                },
                retry_after: None,
            })
        } else {
            self.call(method, path, Some(&access), body).await
        };
        match first {
            Err(HttpError::Server { status: 401, .. }) => {
                let fresh = self.refresh_after(&access).await?;
                self.call(method, path, Some(&fresh), body).await
            }
            other => other,
        }
    }

    /// Refreshes unless the access token already changed since `stale` was used.
    async fn refresh_after(&self, stale: &str) -> Result<String, HttpError> {
        let _one_at_a_time = self.refreshing.lock().await;
        let current = self.tokens().ok_or(HttpError::NotLoggedIn)?;
        if current.access_token != stale && !current.access_token.is_empty() {
            return Ok(current.access_token);
        }
        let sent = current.refresh_token;
        let request = RefreshRequest { refresh_token: sent.clone() };
        let answer = self.call::<_, AuthResponse>("POST", "/v1/auth/refresh", None, Some(&request)).await;
        // A login or logout while the refresh was in flight wins: its answer is about a session
        // that is no longer this client's, and must not replace (or clear) the newer one.
        if let Some(newer) = self.replaced_since(&sent) {
            return newer;
        }
        match answer {
            Ok(answer) => {
                let access = answer.tokens.access_token.clone();
                self.store_tokens(Some(answer.tokens));
                Ok(access)
            }
            Err(e @ HttpError::Server { status: 401, .. }) => {
                self.store_tokens(None);
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// The current session's access token (or `NotLoggedIn`) if the tokens no longer hold the
    /// refresh token `sent`; `None` while they still do.
    fn replaced_since(&self, sent: &str) -> Option<Result<String, HttpError>> {
        match self.tokens() {
            Some(now) if now.refresh_token == sent => None,
            Some(now) => Some(Ok(now.access_token)),
            None => Some(Err(HttpError::NotLoggedIn)),
        }
    }

    /// Rotates the tokens now (`POST /v1/auth/refresh`).
    pub async fn refresh(&self) -> Result<Tokens, HttpError> {
        let stale = self.tokens().ok_or(HttpError::NotLoggedIn)?.access_token;
        self.refresh_after(&stale).await?;
        self.tokens().ok_or(HttpError::NotLoggedIn)
    }

    /// `POST /v1/users`: registers and logs in. `password` is the *server password*
    /// ([`localful_core::crypto::server_password`]).
    pub async fn register(&self, email: &str, display_name: &str, password: &str) -> Result<User, HttpError> {
        let body =
            RegisterRequest { email: email.into(), display_name: display_name.into(), password: password.into() };
        let answer: AuthResponse = self.call("POST", "/v1/users", None, Some(&body)).await?;
        self.store_tokens(Some(answer.tokens));
        answer.user.ok_or_else(|| HttpError::Decode("no user in the answer".into()))
    }

    /// `POST /v1/auth/login` with the server password.
    pub async fn login(&self, email: &str, password: &str) -> Result<User, HttpError> {
        let body = LoginRequest { email: email.into(), password: password.into() };
        let answer: AuthResponse = self.call("POST", "/v1/auth/login", None, Some(&body)).await?;
        self.store_tokens(Some(answer.tokens));
        answer.user.ok_or_else(|| HttpError::Decode("no user in the answer".into()))
    }

    /// `POST /v1/auth/logout`: revokes the session; the tokens are forgotten even if the server
    /// cannot be reached.
    pub async fn logout(&self) -> Result<(), HttpError> {
        let Some(tokens) = self.tokens() else { return Ok(()) };
        self.store_tokens(None);
        let body = RefreshRequest { refresh_token: tokens.refresh_token };
        self.call::<_, serde_json::Value>("POST", "/v1/auth/logout", None, Some(&body)).await.map(|_| ())
    }

    /// `POST /v1/sync/ticket`: a one-time ticket for the socket CONNECT.
    pub async fn ticket(&self) -> Result<String, HttpError> {
        let answer: TicketResponse = self.authed::<(), _>("POST", "/v1/sync/ticket", None).await?;
        Ok(answer.ticket)
    }

    /// `GET /v1/vaults/:id/changes?since=&limit=`.
    pub async fn changes(&self, vault: VaultId, since: u64, limit: u64) -> Result<ChangesPage, HttpError> {
        self.authed::<(), _>("GET", &format!("/v1/vaults/{vault}/changes?since={since}&limit={limit}"), None).await
    }

    /// `GET /v1/users/:id` for the account of the current session (its id read from the refresh
    /// token): the user's details when a session was restored from a stored refresh token.
    pub async fn current_user(&self) -> Result<User, HttpError> {
        let tokens = self.tokens().ok_or(HttpError::NotLoggedIn)?;
        let id = super::token::subject(&tokens.refresh_token)
            .ok_or_else(|| HttpError::Decode("the refresh token names no user".into()))?;
        self.authed::<(), _>("GET", &format!("/v1/users/{id}"), None).await
    }

    /// `GET /v1/vaults/:id/snapshot`: every item and version id of the vault (sync repair).
    pub async fn snapshot(&self, vault: VaultId) -> Result<Snapshot, HttpError> {
        self.authed::<(), _>("GET", &format!("/v1/vaults/{vault}/snapshot"), None).await
    }

    /// `GET /v1/versions/:id`: one version, with its data unless it is deleted.
    pub async fn version(&self, id: VersionId) -> Result<WireVersion, HttpError> {
        self.authed::<(), _>("GET", &format!("/v1/versions/{id}"), None).await
    }

    /// `GET /v1/vaults`: the user's vaults on the server.
    pub async fn vaults(&self) -> Result<Vec<WireVault>, HttpError> {
        #[derive(serde::Deserialize)]
        struct Listing {
            results: Vec<WireVault>,
        }
        Ok(self.authed::<(), Listing>("GET", "/v1/vaults?limit=1000", None).await?.results)
    }

    /// `POST /v1/vaults`: uploads a vault (enable sync). A vault already there is not an error.
    pub async fn create_vault(&self, vault: &VaultCreateRequest) -> Result<(), HttpError> {
        match self.authed::<_, serde_json::Value>("POST", "/v1/vaults", Some(vault)).await {
            Ok(_) => Ok(()),
            Err(HttpError::Server { body, .. }) if body.identifier == ErrorKind::ResourceNotUnique => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// `GET /v1/server/info`.
    pub async fn server_info(&self) -> Result<serde_json::Value, HttpError> {
        self.call::<(), _>("GET", "/v1/server/info", None, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_keep_the_identifier_and_non_json_bodies_become_unexpected() {
        let answer = |status, text: &str, retry_after| Answer { status, text: text.into(), retry_after };
        let e = server_error(&answer(
            401,
            r#"{"statusCode":401,"identifier":"auth-token-invalid","message":"no","context":null}"#,
            None,
        ));
        assert_eq!(e.kind(), Some(&ErrorKind::AuthTokenInvalid));
        assert!(e.is_auth());
        let e = server_error(&answer(502, "Bad gateway", None));
        assert_eq!(e.kind(), Some(&ErrorKind::SystemUnexpected));
        assert!(!e.is_auth());
        let e = server_error(&answer(
            429,
            r#"{"statusCode":429,"identifier":"rate-limited","message":"Too many attempts","context":null}"#,
            Some(12),
        ));
        assert!(matches!(e, HttpError::Server { status: 429, retry_after: Some(12), .. }), "{e:?}");
        let busy =
            r#"{"statusCode":503,"identifier":"system-busy","message":"busy","context":{"retryAfterSeconds":3}}"#;
        let e = server_error(&answer(503, busy, None));
        assert!(matches!(e, HttpError::Server { retry_after: Some(3), .. }), "the wait read from the body: {e:?}");
        let e = server_error(&answer(503, busy, Some(5)));
        assert!(matches!(e, HttpError::Server { retry_after: Some(5), .. }), "the header first: {e:?}");
    }
}
