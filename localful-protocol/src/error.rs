//! Error identifiers and the error body every 4xx/5xx answer and failed ack carries.

use crate::ErrorContext;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The error identifiers of the API (SPEC "Wire shapes"), each with its HTTP status.
///
/// An identifier this version does not know (a newer server's) reads as [`Unknown`](Self::Unknown)
/// and keeps its text.
///
/// ```
/// use localful_protocol::ErrorKind;
/// assert_eq!(ErrorKind::AuthTokenInvalid.identifier(), "auth-token-invalid");
/// assert_eq!(ErrorKind::AuthTokenInvalid.status_code(), 401);
/// assert_eq!(ErrorKind::from("limit-exceeded"), ErrorKind::LimitExceeded);
/// assert_eq!(ErrorKind::from("storage-on-fire").identifier(), "storage-on-fire");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the body, query or path is malformed, of the wrong type, or has unknown fields.
    RequestInvalid,
    /// 404: no such route.
    NotFound,
    /// 500: a bug or an unavailable database.
    SystemUnexpected,
    /// 401: no credentials.
    AccessUnauthorized,
    /// 403: credentials, but not for this resource.
    AccessForbidden,
    /// 404: no such resource (or not yours).
    ResourceNotFound,
    /// 409: the id is taken.
    ResourceNotUnique,
    /// 400: the resource refers to a parent that does not exist or is not yours.
    ResourceRelationshipInvalid,
    /// 401: wrong email or password.
    AuthCredentialsInvalid,
    /// 401: an expired, forged, reused or revoked token or ticket.
    AuthTokenInvalid,
    /// 403: the account's email is not verified.
    AuthNotVerified,
    /// 403: registration is disabled on this server.
    UserRegistrationDisabled,
    /// 409: the email is taken.
    UserEmailExists,
    /// 404: no such vault (or not yours).
    VaultNotFound,
    /// 409: you already own a vault of this name.
    VaultNameExists,
    /// 403: a configured limit would be exceeded.
    LimitExceeded,
    /// 429: too many attempts from this client; `Retry-After` says when its window frees.
    RateLimited,
    /// 503: the server is as busy as it allows (password hashing); `Retry-After` says when to try
    /// again.
    SystemBusy,
    /// An identifier this version does not know, as it was sent.
    Unknown(String),
}

impl ErrorKind {
    /// Every identifier this version knows.
    pub const KNOWN: [ErrorKind; 18] = [
        Self::RequestInvalid,
        Self::NotFound,
        Self::SystemUnexpected,
        Self::AccessUnauthorized,
        Self::AccessForbidden,
        Self::ResourceNotFound,
        Self::ResourceNotUnique,
        Self::ResourceRelationshipInvalid,
        Self::AuthCredentialsInvalid,
        Self::AuthTokenInvalid,
        Self::AuthNotVerified,
        Self::UserRegistrationDisabled,
        Self::UserEmailExists,
        Self::VaultNotFound,
        Self::VaultNameExists,
        Self::LimitExceeded,
        Self::RateLimited,
        Self::SystemBusy,
    ];

    /// The kebab-case identifier on the wire.
    pub fn identifier(&self) -> &str {
        match self {
            Self::RequestInvalid => "request-invalid",
            Self::NotFound => "not-found",
            Self::SystemUnexpected => "system-unexpected-error",
            Self::AccessUnauthorized => "access-unauthorized",
            Self::AccessForbidden => "access-forbidden",
            Self::ResourceNotFound => "resource-not-found",
            Self::ResourceNotUnique => "resource-not-unique",
            Self::ResourceRelationshipInvalid => "resource-relationship-invalid",
            Self::AuthCredentialsInvalid => "auth-credentials-invalid",
            Self::AuthTokenInvalid => "auth-token-invalid",
            Self::AuthNotVerified => "auth-not-verified",
            Self::UserRegistrationDisabled => "user-registration-disabled",
            Self::UserEmailExists => "user-email-exists",
            Self::VaultNotFound => "vault-not-found",
            Self::VaultNameExists => "vault-name-exists",
            Self::LimitExceeded => "limit-exceeded",
            Self::RateLimited => "rate-limited",
            Self::SystemBusy => "system-busy",
            Self::Unknown(identifier) => identifier,
        }
    }

    /// The HTTP status answered with this identifier (500 for an unknown one: its own status is
    /// in the [`ErrorBody`] that carried it).
    pub fn status_code(&self) -> u16 {
        match self {
            Self::RequestInvalid | Self::ResourceRelationshipInvalid => 400,
            Self::AccessUnauthorized | Self::AuthCredentialsInvalid | Self::AuthTokenInvalid => 401,
            Self::AccessForbidden | Self::AuthNotVerified | Self::UserRegistrationDisabled | Self::LimitExceeded => 403,
            Self::NotFound | Self::ResourceNotFound | Self::VaultNotFound => 404,
            Self::ResourceNotUnique | Self::UserEmailExists | Self::VaultNameExists => 409,
            Self::RateLimited => 429,
            Self::SystemUnexpected | Self::Unknown(_) => 500,
            Self::SystemBusy => 503,
        }
    }

    /// Whether the same request can succeed later (server trouble, ordering, rate limits,
    /// expired auth, an identifier this version does not know) rather than never (invalid, too
    /// big, a taken id, forbidden).
    pub fn is_transient(&self) -> bool {
        !matches!(self, Self::RequestInvalid | Self::LimitExceeded | Self::ResourceNotUnique | Self::AccessForbidden)
    }
}

impl From<&str> for ErrorKind {
    fn from(identifier: &str) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|k| k.identifier() == identifier)
            .unwrap_or_else(|| Self::Unknown(identifier.to_owned()))
    }
}

impl From<String> for ErrorKind {
    fn from(identifier: String) -> Self {
        match Self::from(identifier.as_str()) {
            Self::Unknown(_) => Self::Unknown(identifier),
            known => known,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.identifier())
    }
}

impl Serialize for ErrorKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.identifier())
    }
}

impl<'de> Deserialize<'de> for ErrorKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::from)
    }
}

/// `{"context", "identifier", "message", "statusCode"}`, as every 4xx/5xx answer and failed ack
/// carries.
///
/// Fields are declared in the order the server writes them (alphabetical).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Extra details (the failing `path`, a limit, `retryAfterSeconds`). A context this build
    /// cannot read (a newer server's, with a field of another type) reads as `None` rather than
    /// failing the whole body.
    #[serde(default, deserialize_with = "lenient_context")]
    pub context: Option<ErrorContext>,
    /// Which error.
    pub identifier: ErrorKind,
    /// What went wrong, in words.
    #[serde(default)]
    pub message: String,
    /// The HTTP status the error maps to.
    #[serde(default)]
    pub status_code: u16,
}

fn lenient_context<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ErrorContext>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(value).ok())
}

impl ErrorBody {
    /// The body of an error of `kind`, with its status and no context.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { status_code: kind.status_code(), identifier: kind, message: message.into(), context: None }
    }

    /// Whether retrying the same request later can succeed (see [`ErrorKind::is_transient`]).
    pub fn is_transient(&self) -> bool {
        self.identifier.is_transient()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_identifier_reads_back_as_itself() {
        for kind in ErrorKind::KNOWN {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.identifier()));
            assert_eq!(serde_json::from_str::<ErrorKind>(&json).unwrap(), kind);
            assert!(!matches!(kind, ErrorKind::Unknown(_)));
        }
    }

    #[test]
    fn an_unknown_identifier_is_kept_as_sent() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"statusCode":418,"identifier":"teapot-full","message":"no","context":null}"#).unwrap();
        assert_eq!(body.identifier, ErrorKind::Unknown("teapot-full".into()));
        assert_eq!(body.status_code, 418);
        assert!(body.is_transient());
        assert_eq!(serde_json::to_value(&body).unwrap()["identifier"], "teapot-full");
    }

    #[test]
    fn a_context_of_unexpected_shape_reads_as_none() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"statusCode":400,"identifier":"request-invalid","message":"no","context":{"path":7}}"#)
                .unwrap();
        assert_eq!((body.identifier, body.context), (ErrorKind::RequestInvalid, None));
        let body: ErrorBody =
            serde_json::from_str(r#"{"statusCode":400,"identifier":"request-invalid","context":{"path":"a.b"}}"#).unwrap();
        assert_eq!(body.context, Some(ErrorContext::path("a.b")));
    }

    #[test]
    fn statuses_are_the_specs() {
        let status = |k: ErrorKind| k.status_code();
        assert_eq!(
            [ErrorKind::RequestInvalid, ErrorKind::AuthTokenInvalid, ErrorKind::AccessForbidden, ErrorKind::VaultNotFound]
                .map(status),
            [400, 401, 403, 404]
        );
        assert_eq!([ErrorKind::VaultNameExists, ErrorKind::RateLimited, ErrorKind::SystemBusy].map(status), [409, 429, 503]);
        assert_eq!(
            serde_json::to_string(&ErrorBody::new(ErrorKind::NotFound, "Route not found")).unwrap(),
            r#"{"context":null,"identifier":"not-found","message":"Route not found","statusCode":404}"#
        );
    }
}
