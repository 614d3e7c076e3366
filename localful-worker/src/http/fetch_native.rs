//! The native transport: `reqwest`.

use super::HttpError;
use super::fetch_answer::{Answer, retry_after_secs};

/// One HTTP exchange: method, absolute URL, bearer token, JSON body → the answer.
pub(super) async fn fetch(
    client: &reqwest::Client,
    method: &str,
    url: &str,
    bearer: Option<&str>,
    body: Option<String>,
) -> Result<Answer, HttpError> {
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| HttpError::Network(e.to_string()))?;
    let mut request = client.request(method, url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body);
    }
    let response = request.send().await.map_err(|e| HttpError::Network(e.to_string()))?;
    let status = response.status().as_u16();
    let retry_after =
        response.headers().get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(retry_after_secs);
    let text = response.text().await.map_err(|e| HttpError::Network(e.to_string()))?;
    Ok(Answer { status, text, retry_after })
}

/// The native client type.
pub(super) type Client = reqwest::Client;

/// A new client.
pub(super) fn client() -> Client {
    reqwest::Client::new()
}
