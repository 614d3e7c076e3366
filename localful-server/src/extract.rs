//! Request extractors that answer every rejection in the SPEC error shape.
//!
//! axum's own `Json`/`Query`/`Path` rejections are plain-text 400/415/422; these wrappers turn
//! malformed JSON, a wrong content type, wrong types, missing, unknown or forbidden fields into
//! `request-invalid` with the failing path in `context`.

use crate::error::{AppError, ErrorKind};
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts},
};
use serde::de::DeserializeOwned;
use localful_protocol::{BodyProblem, ErrorContext, Limit};

/// A JSON body deserialised strictly (types deny unknown fields).
#[derive(Debug)]
pub(crate) struct ApiJson<T>(pub(crate) T);

/// Deserialises `bytes` as `T`, naming the failing path.
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        AppError::invalid("The request body is not valid JSON").with_context(ErrorContext { error: Some(e.to_string()), ..ErrorContext::reason(BodyProblem::MalformedJson) })
    })?;
    parse_value(value)
}

/// Deserialises a JSON object as `T`, naming the failing path. Every body is an object: serde
/// would otherwise accept an array for a struct whose fields are all optional.
pub(crate) fn parse_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    if !value.is_object() {
        return Err(AppError::invalid("Expected a JSON object").with_context(ErrorContext::field(".", "not an object")));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let error = e.into_inner().to_string();
        AppError::invalid(format!("Invalid request body at {path}: {error}")).with_context(ErrorContext::field(path, error))
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let json_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/json"))
            .unwrap_or(false);
        if !json_type {
            return Err(AppError::invalid("Expected Content-Type: application/json"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::new(ErrorKind::LimitExceeded, "The request body is larger than the server allows")
                    .with_context(ErrorContext { limit: Some(Limit::BodyBytes), ..ErrorContext::default() })
            } else {
                AppError::new(ErrorKind::RequestInvalid, format!("Could not read the request body: {e}"))
                    .with_context(ErrorContext::reason(BodyProblem::BodyUnreadable))
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A query string deserialised strictly.
#[derive(Debug)]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded_like(query);
        parse_value(de).map(ApiQuery)
    }
}

/// Turns `a=1&b=x` into a JSON object of strings; numeric fields use [`num`] to accept them.
fn serde_urlencoded_like(query: &str) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = percent_decode(k);
        let v = percent_decode(v);
        map.insert(k, serde_json::Value::String(v));
    }
    serde_json::Value::Object(map)
}

fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Query-string numbers arrive as strings: deserialise them into integers with bounds.
pub(crate) mod num {
    use serde::{Deserialize, Deserializer, de::Error as _};

    /// An optional non-negative integer from a query-string value.
    pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        let s = Option::<String>::deserialize(d)?;
        match s {
            None => Ok(None),
            Some(s) => s
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= i64::MAX as u64)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("invalid value: {s:?}, expected a non-negative integer"))),
        }
    }
}

/// The `:id` path segment as the resource's id type (a UUID), or `request-invalid`.
#[derive(Debug)]
pub(crate) struct PathId<T>(pub(crate) T);

impl<T: std::str::FromStr, S: Send + Sync> FromRequestParts<S> for PathId<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::invalid(format!("Invalid path: {e}")))?;
        raw.parse()
            .map(PathId)
            .map_err(|_| AppError::invalid("The id in the path is not a UUID").with_context(ErrorContext::path("id")))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_query() {
        let v = super::serde_urlencoded_like("a=1&b=x%20y&c");
        assert_eq!(v, serde_json::json!({"a": "1", "b": "x y", "c": ""}));
    }
}
