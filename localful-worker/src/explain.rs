//! Plain words for people: [`explain`] turns every [`SyncError`] into what happened and what to do,
//! and the conversions here turn the client's failures (HTTP, the socket's refusal) into
//! `SyncError`s at the boundary, so nothing downstream parses text.

use crate::http::HttpError;
use crate::session::ConnectError;
use localful_core::sync::SyncError;
use localful_protocol::ErrorKind;

/// The typed error of a failed API call to `server` made from a page of `origin` (if known).
pub fn http_error(error: &HttpError, server: &str, origin: Option<&str>) -> SyncError {
    match error {
        HttpError::Network(_) => {
            SyncError::Unreachable { server: server.to_owned(), origin: origin.map(str::to_owned) }
        }
        HttpError::Decode(_) => SyncError::NotLocalful { server: server.to_owned() },
        HttpError::Server { status: 404 | 405, body, .. } if body.identifier == ErrorKind::SystemUnexpected => {
            SyncError::NotLocalful { server: server.to_owned() }
        }
        // A proxy or gateway in front answered for a server it could not reach.
        HttpError::Server { status: 502..=504, body, retry_after: None } if body.identifier == ErrorKind::SystemUnexpected => {
            SyncError::Unreachable { server: server.to_owned(), origin: origin.map(str::to_owned) }
        }
        HttpError::Server { status, body, retry_after: Some(secs) } if matches!(status, 429 | 503) => SyncError::Busy {
            kind: body.identifier.clone(),
            retry_after_secs: *secs,
            too_many_attempts: *status == 429,
        },
        HttpError::Server { body, .. } => {
            SyncError::Server { kind: body.identifier.clone(), message: body.message.clone() }
        }
        HttpError::NotLoggedIn => SyncError::NotLoggedIn,
    }
}

/// The typed error of the server's refusal of the sync socket.
pub fn socket_refusal(error: &ConnectError, origin: Option<&str>) -> SyncError {
    match ErrorKind::from(error.message.as_str()) {
        // The server's identifier for a refused origin (and for other refusals of access).
        ErrorKind::AccessForbidden => SyncError::OriginRefused { origin: origin.map(str::to_owned) },
        kind => SyncError::ConnectionRefused { kind },
    }
}

/// What to tell a person about `error`: what happened and what to do, in plain words (never an
/// identifier, a type name or debug output).
pub fn explain(error: &SyncError) -> String {
    match error {
        SyncError::Server { kind, .. } => server_answer(kind),
        SyncError::Busy { retry_after_secs, too_many_attempts, .. } => {
            let what = if *too_many_attempts {
                "The server has had too many attempts from here."
            } else {
                "The server is busy."
            };
            format!("{what} Try again in {}.", seconds(*retry_after_secs))
        }
        // The browser says only "Failed to fetch" both when nothing listens and when CORS refused
        // the page's origin, so both causes are named.
        SyncError::Unreachable { server, origin } => format!(
            "Could not reach the sync server at {server}. Check that it is running and that the address is \
             right. If it is running, it may not accept this page: start it with LOCALFUL_ALLOWED_ORIGINS={}.",
            origin.as_deref().unwrap_or("this page's origin")
        ),
        SyncError::NotLocalful { server } => format!(
            "{server} does not answer like a Localful sync server. Check the server address: it is the \
             server's base URL (for example https://sync.example.com), without /v1."
        ),
        SyncError::OriginRefused { origin } => format!(
            "The sync server refused this page's origin ({}). Add it to the server's \
             LOCALFUL_ALLOWED_ORIGINS (comma-separated), restart the server, then retry.",
            origin.as_deref().unwrap_or("unknown")
        ),
        SyncError::ConnectionRefused { kind: ErrorKind::Unknown(_) } => {
            "The sync server refused the connection. Log out and log in again.".into()
        }
        SyncError::ConnectionRefused { kind } => {
            format!("The sync server refused the connection. {}", server_answer(kind))
        }
        SyncError::NotLoggedIn => "Not logged in to the sync server: log in first.".into(),
        SyncError::ChangesRefused { count, kind } => format!(
            "The server refused {}: {} They stay on this device, and are offered again from time to time.",
            if *count == 1 { "1 change".to_string() } else { format!("{count} changes") },
            refused_change(kind)
        ),
        SyncError::Apply { detail } => format!(
            "This device could not save changes from the server ({detail}). If its storage is full, free some \
             space; they are fetched again by themselves."
        ),
        SyncError::Repair { detail } => format!(
            "This device could not compare its notes with the server's ({detail}). It tries again by itself; \
             nothing is lost."
        ),
        SyncError::Crypto { detail } => format!(
            "This browser could not prepare the password for the server ({detail}). Reload the page and try again."
        ),
        SyncError::NoWorker => {
            "Sync does not run in this page: choose a sync server in Account & sync, or use a browser with web \
             workers."
                .into()
        }
        SyncError::WorkerGone => "The sync worker stopped before it answered. Reload the page and try again.".into(),
        SyncError::VersionMismatch { tab, worker } => format!(
            "This page and the sync worker already running in this browser come from different versions of the \
             app (page protocol {tab}, worker {worker}), so sync is off in this tab. Close every other tab of \
             this app, then reload this one."
        ),
        _ => "Sync ran into a problem this version of the app does not know. Reload the page; if it stays, \
              update the app."
            .into(),
    }
}

/// The server's answer `kind`, in words.
fn server_answer(kind: &ErrorKind) -> String {
    let text = match kind {
        ErrorKind::AuthCredentialsInvalid => "Wrong email or password.",
        ErrorKind::UserEmailExists => "An account with this email already exists: log in instead.",
        ErrorKind::UserRegistrationDisabled => "This server does not accept new accounts. Ask its admin, or log in.",
        ErrorKind::AuthTokenInvalid | ErrorKind::AccessUnauthorized => "Your session has expired: log in again.",
        ErrorKind::AuthNotVerified => {
            "Your account's email is not verified yet: open the link the server emailed you, then try again."
        }
        ErrorKind::AccessForbidden => "The server does not allow this for your account.",
        ErrorKind::RateLimited => "The server has had too many attempts from here. Wait a minute, then try again.",
        ErrorKind::SystemBusy => "The server is busy. Try again in a moment.",
        ErrorKind::LimitExceeded => {
            "This would go over a limit the server sets (storage, size or number of vaults). Free some space or ask the server's admin."
        }
        ErrorKind::VaultNameExists => "You already have a vault with this name on the server: rename one of them.",
        ErrorKind::VaultNotFound | ErrorKind::ResourceNotFound | ErrorKind::NotFound => {
            "The server does not have it (any more). Reload the page; if it stays, it was deleted on another device."
        }
        ErrorKind::ResourceNotUnique | ErrorKind::ResourceRelationshipInvalid | ErrorKind::RequestInvalid => {
            "The server did not accept the request. Update the app; if it stays, tell the server's admin."
        }
        ErrorKind::SystemUnexpected => {
            "The server had a problem. Try again in a moment; if it stays, tell the server's admin."
        }
        _ => "The server refused the request. Try again later; if it stays, update the app or tell the server's admin.",
    };
    text.to_owned()
}

/// Why the server refuses a change for good, in words.
fn refused_change(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::LimitExceeded => "it is too big, or the vault is over the server's storage limit.",
        ErrorKind::AccessForbidden => "the server does not allow this account to change this vault.",
        _ => "the server does not accept it as it is. Update the app; if it stays, tell the server's admin.",
    }
}

/// `secs` as people say it: "1 second", "42 seconds", "2 minutes" (rounded up).
fn seconds(secs: u64) -> String {
    match secs {
        1 => "1 second".into(),
        0..=119 => format!("{secs} seconds"),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use localful_core::wire::ErrorBody;

    fn server(status: u16, identifier: &str, message: &str) -> HttpError {
        let body =
            ErrorBody { status_code: status, identifier: identifier.into(), message: message.into(), context: None };
        HttpError::Server { status, body, retry_after: None }
    }

    fn kinds() -> Vec<ErrorKind> {
        let mut kinds = ErrorKind::KNOWN.to_vec();
        kinds.push(ErrorKind::Unknown("storage-on-fire".into()));
        kinds.push(ErrorKind::Unknown(String::new()));
        kinds
    }

    /// One of every error, with every server identifier where a variant carries one.
    fn every_error() -> Vec<SyncError> {
        let mut all = vec![
            SyncError::Unreachable {
                server: "http://127.0.0.1:3000".into(),
                origin: Some("http://127.0.0.1:8080".into()),
            },
            SyncError::Unreachable { server: "http://127.0.0.1:3000".into(), origin: None },
            SyncError::NotLocalful { server: "http://example.test".into() },
            SyncError::OriginRefused { origin: Some("http://127.0.0.1:8080".into()) },
            SyncError::OriginRefused { origin: None },
            SyncError::NotLoggedIn,
            SyncError::Apply { detail: "the disk is full".into() },
            SyncError::Repair { detail: "the server could not be reached".into() },
            SyncError::Crypto { detail: "the operation failed".into() },
            SyncError::NoWorker,
            SyncError::WorkerGone,
            SyncError::VersionMismatch { tab: 5, worker: 4 },
        ];
        for kind in kinds() {
            all.push(SyncError::Server { kind: kind.clone(), message: "{\"debug\": None}".into() });
            all.push(SyncError::Busy { kind: kind.clone(), retry_after_secs: 42, too_many_attempts: true });
            all.push(SyncError::Busy { kind: kind.clone(), retry_after_secs: 1, too_many_attempts: false });
            all.push(SyncError::ConnectionRefused { kind: kind.clone() });
            all.push(SyncError::ChangesRefused { count: 1, kind: kind.clone() });
            all.push(SyncError::ChangesRefused { count: 3, kind });
        }
        all
    }

    #[test]
    fn every_error_is_plain_words_with_no_debug_output() {
        for error in every_error() {
            let text = explain(&error);
            for bad in ["{", "}", "::", "Some(", "None", "Error", "\"", "kind:", "message:"] {
                assert!(!text.contains(bad), "{error:?} reads {text:?}, which contains {bad:?}");
            }
            for identifier in kinds().iter().map(ErrorKind::identifier).filter(|i| i.contains('-')) {
                assert!(!text.contains(identifier), "{error:?} shows the identifier: {text}");
            }
            assert!(text.ends_with('.'), "a sentence: {text}");
            assert!(text.chars().next().is_some_and(|c| c.is_uppercase()) || text.starts_with("http"), "{text}");
        }
    }

    #[test]
    fn an_unreachable_server_names_the_address_and_the_allowed_origins_setting() {
        let e = http_error(
            &HttpError::Network("TypeError: Failed to fetch".into()),
            "http://127.0.0.1:3000",
            Some("http://127.0.0.1:42080"),
        );
        assert_eq!(
            explain(&e),
            "Could not reach the sync server at http://127.0.0.1:3000. Check that it is running and that the address \
             is right. If it is running, it may not accept this page: start it with \
             LOCALFUL_ALLOWED_ORIGINS=http://127.0.0.1:42080."
        );
    }

    #[test]
    fn a_gateway_that_cannot_reach_the_server_reads_as_unreachable() {
        let gateway = server(502, "system-unexpected-error", "<html>Bad Gateway</html>");
        let e = http_error(&gateway, "http://127.0.0.1:3000", None);
        assert_eq!(e, SyncError::Unreachable { server: "http://127.0.0.1:3000".into(), origin: None });
        // The server's own 500 is the server's problem, not the network's.
        let own = http_error(&server(500, "system-unexpected-error", "database down"), "http://s", None);
        assert!(matches!(own, SyncError::Server { kind: ErrorKind::SystemUnexpected, .. }));
    }

    #[test]
    fn a_wrong_address_says_it_is_not_a_localful_server() {
        let expected = "http://example.test does not answer like a Localful sync server. Check the server \
                        address: it is the server's base URL (for example https://sync.example.com), without /v1.";
        let decode = http_error(&HttpError::Decode("expected value".into()), "http://example.test", None);
        assert_eq!(explain(&decode), expected);
        let html =
            http_error(&server(404, "system-unexpected-error", "<html>Not Found</html>"), "http://example.test", None);
        assert_eq!(html, SyncError::NotLocalful { server: "http://example.test".into() });
        assert_eq!(explain(&html), expected);
    }

    #[test]
    fn the_servers_answers_keep_their_kind_and_read_as_what_to_do() {
        let e = http_error(&server(401, "auth-credentials-invalid", "wrong email or password"), "http://s", None);
        assert_eq!(
            e,
            SyncError::Server { kind: ErrorKind::AuthCredentialsInvalid, message: "wrong email or password".into() }
        );
        assert_eq!(explain(&e), "Wrong email or password.");
        assert!(e.server_kind() == Some(&ErrorKind::AuthCredentialsInvalid));
        let expired = http_error(&server(401, "auth-token-invalid", "gone"), "http://s", None);
        assert!(expired.is_session_over());
        assert_eq!(explain(&expired), "Your session has expired: log in again.");
        let exists = http_error(&server(409, "user-email-exists", "taken"), "http://s", None);
        assert_eq!(explain(&exists), "An account with this email already exists: log in instead.");
    }

    #[test]
    fn a_wait_the_server_asks_for_is_said_in_words() {
        let wait = |status, identifier: &str, secs| {
            let HttpError::Server { body, .. } = server(status, identifier, "Too many attempts; try again in a minute")
            else {
                unreachable!()
            };
            http_error(&HttpError::Server { status, body, retry_after: Some(secs) }, "http://s", None)
        };
        let limited = wait(429, "rate-limited", 42);
        assert_eq!(
            limited,
            SyncError::Busy { kind: ErrorKind::RateLimited, retry_after_secs: 42, too_many_attempts: true }
        );
        assert_eq!(explain(&limited), "The server has had too many attempts from here. Try again in 42 seconds.");
        assert_eq!(explain(&wait(503, "system-busy", 1)), "The server is busy. Try again in 1 second.");
        assert_eq!(explain(&wait(503, "some-new-identifier", 7)), "The server is busy. Try again in 7 seconds.");
        assert_eq!(
            explain(&wait(429, "rate-limited", 125)),
            "The server has had too many attempts from here. Try again in 3 minutes."
        );
        // Without a wait (or not readable cross-origin), what the identifier means.
        let e = http_error(&server(429, "rate-limited", "Too many attempts; try again in a minute"), "http://s", None);
        assert_eq!(explain(&e), "The server has had too many attempts from here. Wait a minute, then try again.");
    }

    #[test]
    fn a_refused_origin_says_which_setting_to_change() {
        let e = socket_refusal(
            &ConnectError { message: "access-forbidden".into(), data: None },
            Some("http://127.0.0.1:42080"),
        );
        assert_eq!(e, SyncError::OriginRefused { origin: Some("http://127.0.0.1:42080".into()) });
        let text = explain(&e);
        assert!(text.contains("(http://127.0.0.1:42080)") && text.contains("LOCALFUL_ALLOWED_ORIGINS"), "{text}");
        let other = socket_refusal(&ConnectError { message: "auth-token-invalid".into(), data: None }, None);
        assert_eq!(other, SyncError::ConnectionRefused { kind: ErrorKind::AuthTokenInvalid });
        assert_eq!(explain(&other), "The sync server refused the connection. Your session has expired: log in again.");
    }
}
