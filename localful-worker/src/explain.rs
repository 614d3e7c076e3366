//! What a tab is told when the sync server cannot be used: plain words that say what to do, for
//! the failures a newcomer meets first (server not running, wrong address, page origin not
//! allowed). Answers the server gave keep their `identifier: message` form, which apps match on.

use crate::http::HttpError;
use crate::session::ConnectError;
use localful_protocol::ErrorKind;

/// Describes a failed API call to `server` made from a page of `origin` (if known).
pub(crate) fn http_failure(error: &HttpError, server: &str, origin: Option<&str>) -> String {
    match error {
        // The browser says only "Failed to fetch" both when nothing listens and when CORS refused
        // the page's origin, so both causes are named.
        HttpError::Network(detail) => format!(
            "Could not reach the sync server at {server} ({detail}). Check that it is running and that \
             the address is right. If it is running, it may not accept this page: start it with \
             LOCALFUL_ALLOWED_ORIGINS={}.",
            origin.unwrap_or("<this page's origin>")
        ),
        HttpError::Decode(_) => not_localful(server),
        HttpError::Server { status: 404 | 405, body, .. } if body.identifier == ErrorKind::SystemUnexpected => {
            not_localful(server)
        }
        // Too many attempts, or too many password checks at once: the wait the server asked for,
        // whatever its identifier (which still leads, for apps that match on it).
        HttpError::Server { status, body, retry_after: Some(secs) } if matches!(status, 429 | 503) => {
            let what =
                if *status == 429 { "The server has had too many attempts from here." } else { "The server is busy." };
            format!("{}: {what} Try again in {}.", body.identifier, seconds(*secs))
        }
        HttpError::Server { body, .. } => format!("{}: {}", body.identifier, body.message),
        HttpError::NotLoggedIn => "Not logged in to the sync server: log in first.".into(),
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

fn not_localful(server: &str) -> String {
    format!(
        "{server} does not answer like a Localful sync server. Check the server address: it is the \
         server's base URL (for example https://sync.example.com), without /v1."
    )
}

/// Describes the server's refusal of the sync socket, for a page of `origin` (if known).
pub(crate) fn socket_refusal(error: &ConnectError, origin: Option<&str>) -> String {
    // The server's identifier for a refused origin (and for other refusals of access).
    if ErrorKind::from(error.message.as_str()) == ErrorKind::AccessForbidden {
        format!(
            "The sync server refused this page's origin ({}). Add it to the server's \
             LOCALFUL_ALLOWED_ORIGINS (comma-separated) and restart the server.",
            origin.unwrap_or("unknown")
        )
    } else {
        format!("The sync server refused the connection ({}). Log out and log in again.", error.message)
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

    #[test]
    fn an_unreachable_server_names_the_address_and_the_allowed_origins_setting() {
        let e = HttpError::Network("TypeError: Failed to fetch".into());
        assert_eq!(
            http_failure(&e, "http://127.0.0.1:3000", Some("http://127.0.0.1:42080")),
            "Could not reach the sync server at http://127.0.0.1:3000 (TypeError: Failed to fetch). Check that it \
             is running and that the address is right. If it is running, it may not accept this page: start it \
             with LOCALFUL_ALLOWED_ORIGINS=http://127.0.0.1:42080."
        );
    }

    #[test]
    fn a_wrong_address_says_it_is_not_a_localful_server() {
        let expected = "http://example.test does not answer like a Localful sync server. Check the server \
                        address: it is the server's base URL (for example https://sync.example.com), without /v1.";
        assert_eq!(http_failure(&HttpError::Decode("expected value".into()), "http://example.test", None), expected);
        let html = server(404, "system-unexpected-error", "<html>Not Found</html>");
        assert_eq!(http_failure(&html, "http://example.test", None), expected);
    }

    #[test]
    fn the_servers_own_answers_keep_their_identifier() {
        let e = server(401, "auth-credentials-invalid", "wrong email or password");
        assert_eq!(http_failure(&e, "http://s", None), "auth-credentials-invalid: wrong email or password");
    }

    #[test]
    fn a_wait_the_server_asks_for_is_said_in_words_after_its_identifier() {
        let wait = |status, identifier: &str, secs| {
            let HttpError::Server { body, .. } = server(status, identifier, "Too many attempts; try again in a minute")
            else {
                unreachable!()
            };
            http_failure(&HttpError::Server { status, body, retry_after: Some(secs) }, "http://s", None)
        };
        assert_eq!(
            wait(429, "rate-limited", 42),
            "rate-limited: The server has had too many attempts from here. Try again in 42 seconds."
        );
        // Too many password checks at once, and an identifier this client does not know yet.
        assert_eq!(wait(503, "system-busy", 1), "system-busy: The server is busy. Try again in 1 second.");
        assert_eq!(
            wait(503, "some-new-identifier", 7),
            "some-new-identifier: The server is busy. Try again in 7 seconds."
        );
        assert_eq!(
            wait(429, "rate-limited", 125),
            "rate-limited: The server has had too many attempts from here. Try again in 3 minutes."
        );
        // Without a wait (or not readable cross-origin), the server's own words.
        let e = server(429, "rate-limited", "Too many attempts; try again in a minute");
        assert_eq!(http_failure(&e, "http://s", None), "rate-limited: Too many attempts; try again in a minute");
    }

    #[test]
    fn a_refused_origin_says_which_setting_to_change() {
        let e = ConnectError { message: "access-forbidden".into(), data: None };
        let text = socket_refusal(&e, Some("http://127.0.0.1:42080"));
        assert!(text.contains("(http://127.0.0.1:42080)") && text.contains("LOCALFUL_ALLOWED_ORIGINS"), "{text}");
        assert!(!text.contains("ConnectError"), "no debug output: {text}");
        let other = socket_refusal(&ConnectError { message: "auth-token-invalid".into(), data: None }, None);
        assert_eq!(other, "The sync server refused the connection (auth-token-invalid). Log out and log in again.");
    }
}
