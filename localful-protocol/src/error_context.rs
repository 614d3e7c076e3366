//! The details an error answer carries in its `context`: which field failed, which limit was hit,
//! when to try again.

use serde::{Deserialize, Serialize};

/// A server limit a `limit-exceeded` answer names (`context.limit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Limit {
    /// The request body's size.
    BodyBytes,
    /// The total size of a vault's live data.
    VaultBytes,
    /// How many vaults one user may have.
    VaultsPerUser,
    /// The size of one version's protected data.
    VersionBytes,
    /// A limit this build does not know (a newer server's).
    #[serde(other)]
    Unknown,
}

/// Why a request body could not be taken (`context.reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BodyProblem {
    /// The body is not JSON.
    MalformedJson,
    /// The body could not be read from the connection.
    BodyUnreadable,
    /// A reason this build does not know (a newer server's).
    #[serde(other)]
    Unknown,
}

/// The `context` of an error answer. Every field is optional and absent from the JSON when unset;
/// fields a newer server adds are ignored. Fields are declared in the order the server writes
/// them (alphabetical).
///
/// ```
/// use localful_protocol::{ErrorContext, Limit};
/// let context = ErrorContext::limit(Limit::VaultBytes, 1024);
/// assert_eq!(serde_json::to_string(&context)?, r#"{"limit":"vaultBytes","max":1024}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorContext {
    /// What is wrong with the field at [`path`](Self::path), in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The limit that was hit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Limit>,
    /// The limit's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// The failing field of the request (`.` for the whole body), as a path like `items[2].id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Why the body could not be taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<BodyProblem>,
    /// Seconds after which the same request may succeed (`rate-limited`, `system-busy`); the
    /// same number as the `Retry-After` header, which a page may not read cross-origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

impl ErrorContext {
    /// The field at `path` is missing or wrong.
    pub fn path(path: impl Into<String>) -> Self {
        Self { path: Some(path.into()), ..Self::default() }
    }

    /// The field at `path` is wrong, and why.
    pub fn field(path: impl Into<String>, error: impl Into<String>) -> Self {
        Self { error: Some(error.into()), ..Self::path(path) }
    }

    /// `limit` was hit; its value is `max`.
    pub fn limit(limit: Limit, max: u64) -> Self {
        Self { limit: Some(limit), max: Some(max), ..Self::default() }
    }

    /// The body could not be taken, for `reason`.
    pub fn reason(reason: BodyProblem) -> Self {
        Self { reason: Some(reason), ..Self::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_fields_are_absent_and_keys_are_alphabetical() {
        let context = ErrorContext {
            error: Some("expected a string".into()),
            reason: Some(BodyProblem::MalformedJson),
            retry_after_seconds: Some(3),
            ..ErrorContext::path("items[0].id")
        };
        assert_eq!(
            serde_json::to_string(&context).unwrap(),
            r#"{"error":"expected a string","path":"items[0].id","reason":"malformed-json","retryAfterSeconds":3}"#
        );
        assert_eq!(serde_json::to_string(&ErrorContext::default()).unwrap(), "{}");
    }

    #[test]
    fn what_a_newer_server_adds_still_reads() {
        let context: ErrorContext =
            serde_json::from_str(r#"{"limit":"itemsPerVault","max":5,"reason":"too-deep","hint":"x"}"#).unwrap();
        assert_eq!((context.limit, context.max, context.reason), (Some(Limit::Unknown), Some(5), Some(BodyProblem::Unknown)));
    }
}
