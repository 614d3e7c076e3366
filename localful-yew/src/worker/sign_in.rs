//! Logging in and registering from the page: over HTTP from this tab, the worker handed only the
//! session that results.

use super::WorkerConnection;
use localful_core::sync::SyncError;
use localful_worker::tab_protocol::TabMessage;
use localful_worker::http::{Credentials, SignedIn, sign_in};

impl WorkerConnection {
    /// Signs in at `server_url` with `credentials` (the account password is turned into the server
    /// password here, in the page), then hands the session to the sync worker
    /// ([`TabMessage::SignedIn`]) and waits until it has adopted it. The error is typed
    /// ([`SignInError::error`](localful_worker::http::SignInError::error));
    /// [`explain`](localful_worker::explain) says it in words.
    pub(crate) async fn sign_in(&self, server_url: Option<&str>, credentials: Credentials) -> Result<(), SyncError> {
        // Checked first: without a worker that takes it, a session opened at the server would be
        // lost (and count as an attempt there).
        if let Some(refusal) = self.refusal() {
            return Err(refusal);
        }
        let Some(server_url) = server_url else { return Err(SyncError::NoWorker) };
        let SignedIn { user, tokens } = sign_in(server_url, credentials).await.map_err(|e| e.error())?;
        self.request(move |request| TabMessage::SignedIn { request, user, tokens }).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_worker_nothing_is_sent_to_the_server() {
        // Port 9 (discard) on this machine: a request would fail with a network error, not this.
        let credentials = Credentials::LogIn { email: "a@b.c".into(), password: "pw".into() };
        let detached = WorkerConnection::detached();
        let result = futures::executor::block_on(detached.sign_in(Some("http://127.0.0.1:9"), credentials.clone()));
        assert_eq!(result, Err(SyncError::NoWorker));
        let result = futures::executor::block_on(detached.sign_in(None, credentials));
        assert_eq!(result, Err(SyncError::NoWorker));
    }
}
