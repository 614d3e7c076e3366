//! The browser transport: `gloo-net` (window or worker `fetch`).

use super::HttpError;
use gloo_net::http::{Method, RequestBuilder};

/// One HTTP exchange: method, absolute URL, bearer token, JSON body → status and body text.
pub(super) async fn fetch(
    _client: &Client,
    method: &str,
    url: &str,
    bearer: Option<&str>,
    body: Option<String>,
) -> Result<(u16, String), HttpError> {
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
    let text = response.text().await.map_err(|e| HttpError::Network(e.to_string()))?;
    Ok((status, text))
}

/// Nothing to keep between requests in the browser.
#[derive(Clone, Debug, Default)]
pub(super) struct Client;

/// A new client.
pub(super) fn client() -> Client {
    Client
}
