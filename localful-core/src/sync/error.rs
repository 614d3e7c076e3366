//! [`SyncError`]: why syncing, or an account action, failed — one typed value, serialisable, that
//! travels from the sync worker to every tab. The words for people are made from it in one place
//! (`localful_worker::explain`), never by parsing text.

use crate::wire::ErrorKind;
use serde::{Deserialize, Serialize};

/// Why syncing, signing in or another request to the sync server failed.
///
/// Where the server answered, the variant carries its [`ErrorKind`]; the other variants say what
/// went wrong on the way there (no answer, an answer that is not a Localful server's, a refused
/// origin) or on this device. Every variant can be told to a person in plain words
/// (`localful_worker::explain`), which is the only text a UI should show for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum SyncError {
    /// The server answered with an error: its identifier and message.
    Server {
        /// The server's error identifier.
        kind: ErrorKind,
        /// The server's message (English, for developers; people are told what to do instead).
        message: String,
    },
    /// The server asked to wait before trying again: too many attempts from here (`429`), or too
    /// busy (`503`).
    Busy {
        /// The server's error identifier (`rate-limited`, `system-busy`, or one this version does
        /// not know).
        kind: ErrorKind,
        /// How long to wait, in seconds.
        retry_after_secs: u64,
        /// `true` for too many attempts from this client, `false` for a server busy with everyone.
        too_many_attempts: bool,
    },
    /// No answer from the server: it is not running, the address is wrong, the network is down,
    /// or the server does not accept requests from this page's origin (a browser cannot tell
    /// these apart).
    Unreachable {
        /// The server's address.
        server: String,
        /// This page's origin, if known.
        origin: Option<String>,
    },
    /// Something answers at the address, but not like a Localful sync server.
    NotLocalful {
        /// The server's address.
        server: String,
    },
    /// The server refused the sync connection from this page's origin.
    OriginRefused {
        /// This page's origin, if known.
        origin: Option<String>,
    },
    /// The server refused the sync connection for another reason.
    ConnectionRefused {
        /// The server's error identifier.
        kind: ErrorKind,
    },
    /// There is no session: log in first.
    NotLoggedIn,
    /// The server refused some local changes for good (too big, invalid, over a limit). They stay
    /// on this device and are offered again now and then.
    ChangesRefused {
        /// How many changes.
        count: u64,
        /// The server's reason.
        kind: ErrorKind,
    },
    /// This device could not store changes that came from the server; they are fetched again.
    Apply {
        /// What the local store said.
        detail: String,
    },
    /// Repairing this device's copy from the server's list of everything failed; it is tried again.
    Repair {
        /// What failed.
        detail: String,
    },
    /// This browser could not prepare the account password for the server (its WebCrypto failed).
    Crypto {
        /// What the browser said.
        detail: String,
    },
    /// No sync worker serves this page: no server is configured, or the browser cannot run one.
    NoWorker,
    /// The sync worker stopped before it answered.
    WorkerGone,
    /// This page and the sync worker running in the browser come from different versions of the
    /// app.
    VersionMismatch {
        /// The page's protocol version.
        tab: u32,
        /// The worker's.
        worker: u32,
    },
}

impl SyncError {
    /// The server's error identifier, when the server answered.
    pub fn server_kind(&self) -> Option<&ErrorKind> {
        match self {
            SyncError::Server { kind, .. }
            | SyncError::Busy { kind, .. }
            | SyncError::ConnectionRefused { kind }
            | SyncError::ChangesRefused { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// Whether the session is over and the person must log in again.
    pub fn is_session_over(&self) -> bool {
        matches!(self, SyncError::NotLoggedIn)
            || matches!(self.server_kind(), Some(ErrorKind::AuthTokenInvalid | ErrorKind::AccessUnauthorized))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_tagged_camel_case_json_both_ways() {
        let e = SyncError::Busy { kind: ErrorKind::RateLimited, retry_after_secs: 30, too_many_attempts: true };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(json, r#"{"error":"busy","kind":"rate-limited","retryAfterSecs":30,"tooManyAttempts":true}"#);
        assert_eq!(serde_json::from_str::<SyncError>(&json).unwrap(), e);
        let unit = serde_json::to_string(&SyncError::NotLoggedIn).unwrap();
        assert_eq!(unit, r#"{"error":"notLoggedIn"}"#);
        assert_eq!(serde_json::from_str::<SyncError>(&unit).unwrap(), SyncError::NotLoggedIn);
    }
}
