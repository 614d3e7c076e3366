//! The browser transport: `gloo-net` (window or worker `fetch`).

use super::HttpError;
use super::fetch_answer::{Answer, retry_after_secs};
use gloo_net::http::{Method, RequestBuilder};

/// One HTTP exchange: method, absolute URL, bearer token, JSON body → the answer.
pub(super) async fn fetch(
    _client: &Client,
    method: &str,
    url: &str,
    bearer: Option<&str>,
    body: Option<String>,
) -> Result<Answer, HttpError> {
    let method = match method {
        "POST" => Method::POST,
        "PATCH" => Method::PATCH,
        "DELETE" => Method::DELETE,
        "PUT" => Method::PUT,
        _ => Method::GET,
    };
    let mut request = RequestBuilder::new(url).method(method);
    if let Some(token) = bearer {
        request = request.header("authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request.header("content-type", "application/json").body(body),
        None => request.build(),
    }
    .map_err(|e| HttpError::Network(e.to_string()))?;
    let response = request.send().await.map_err(|e| HttpError::Network(e.to_string()))?;
    let status = response.status();
    // Readable cross-origin only if the server exposes it (`Access-Control-Expose-Headers`).
    let retry_after = response.headers().get("retry-after").as_deref().and_then(retry_after_secs);
    let text = response.text().await.map_err(|e| HttpError::Network(e.to_string()))?;
    Ok(Answer { status, text, retry_after })
}

/// Nothing to keep between requests in the browser.
#[derive(Clone, Debug, Default)]
pub(super) struct Client;

/// A new client.
pub(super) fn client() -> Client {
    Client
}
