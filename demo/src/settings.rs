//! App-level settings shared below the root: the sync server.

use yew::Callback;

/// The sync server setting, provided by the root as a context: changing it reconfigures the
/// Localful provider (a new connection to the sync worker).
#[derive(Clone, PartialEq)]
pub(crate) struct Settings {
    /// The sync server's base URL; `None` = local only.
    pub(crate) server_url: Option<String>,
    /// Sets (or clears) the server URL.
    pub(crate) set_server_url: Callback<Option<String>>,
}

/// The server URL to suggest: this page's origin (trunk and the demo script proxy the server's
/// `/v1` and `/socket.io` paths there).
pub(crate) fn suggested_server() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// Normalises a typed server URL: trimmed, no trailing slash; `None` unless http(s).
pub(crate) fn normalise_server(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    (url.starts_with("http://") || url.starts_with("https://")).then(|| url.to_string())
}
