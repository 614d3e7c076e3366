//! The typed protocol between tabs and the sync worker, over a `MessagePort` (SharedWorker, or a
//! dedicated Worker) or the fallback `BroadcastChannel`. Messages are JSON strings of these enums
//! (`{"type": "signedIn", ...}`), so both ends agree whatever the transport.
//!
//! Passwords never travel on it: the tab logs in over HTTP itself and hands the worker the
//! session's tokens ([`TabMessage::SignedIn`]); the worker needs tokens, not passwords.

pub use crate::sync_state::{AuthState, SyncPhase, SyncState};
use localful_core::sync::{SyncConfig, SyncError};
use localful_protocol::{Tokens, User};
use serde::{Deserialize, Serialize};

/// Identifies a tab's request so the worker's [`WorkerMessage::Reply`] finds it.
pub type RequestNo = u64;

/// The version of this protocol. One SharedWorker serves every tab of an origin, so after an app
/// update a new page can meet the old version's worker (still running for an old tab): the worker
/// compares the version in each [`TabMessage::Hello`] with its own and answers
/// [`WorkerMessage::VersionMismatch`] when they differ. Raise it with any change to these messages
/// or to the change events tabs and worker exchange on the events channel
/// (3: the user they carry is the server's whole record, `localful_protocol::User`;
/// 4: item change events carry their [`Origin`](crate::Origin) and a local write's outbox entries,
/// which the worker pushes from — an older tab's events lack them and are not read;
/// 5: one [`WorkerMessage::State`] carries the session and the derived [`SyncState`] together,
/// replies carry a typed [`SyncError`], and tabs can ask [`TabMessage::RetryNow`];
/// 6: the [`SyncState`] names the vaults it covers, [`SyncState::for_vault`]).
pub const PROTOCOL_VERSION: u32 = 6;

/// A tab to the worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum TabMessage {
    /// First message of every tab: which app and server, and the refresh token the tab holds in
    /// localStorage (used only if the worker has no session yet).
    Hello {
        /// The app's name (IndexedDB and `BroadcastChannel` names derive from it).
        app_name: String,
        /// The sync server's base URL.
        server_url: String,
        /// The name versions written by this device carry.
        device_name: String,
        /// The stored refresh token, if any.
        refresh_token: Option<String>,
        /// The app's sync settings (debounce, rate limit, batch sizes, retries); `None` keeps the
        /// worker's own. One worker serves every tab, so the first `Hello` it gets sets them.
        #[serde(default)]
        sync: Option<SyncConfig>,
        /// The tab's [`PROTOCOL_VERSION`] (0 from tabs older than the field).
        #[serde(default)]
        protocol: u32,
    },
    /// The tab logged in or registered: it derived the server password from the account password
    /// and called the server's HTTP API itself, and hands the worker only the session that
    /// resulted. The worker adopts it (replacing any session it had) and tells every tab. No
    /// message of this protocol carries a password: in the fallback without `SharedWorker` they go
    /// over a `BroadcastChannel` every tab of the origin receives.
    SignedIn {
        /// Reply id.
        request: RequestNo,
        /// The account signed in.
        user: User,
        /// The session's tokens, as the server answered them.
        tokens: Tokens,
    },
    /// Log out (revokes the session on the server; sync stops).
    Logout {
        /// Reply id.
        request: RequestNo,
    },
    /// Re-read the vault registry: sync every synced vault this browser session has unlocked.
    Refresh,
    /// Try to reach the server now instead of at the next planned attempt (also after the server
    /// refused the connection, whose settings may have been fixed since).
    RetryNow,
    /// The tab is closing.
    Bye,
}

/// The worker to a tab (or to every tab).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum WorkerMessage {
    /// The session or the sync state changed (also sent once after `Hello`). One message
    /// carries both, so a tab never shows one of them newer than the other.
    State {
        /// The session.
        auth: AuthState,
        /// What tabs show about sync, derived from the session, the connection, the vaults and
        /// the outbox ([`crate::sync_state::derive`]).
        sync: SyncState,
    },
    /// Persist this refresh token in localStorage (`None`: remove it). Sent after every rotation.
    Tokens {
        /// The refresh token.
        refresh_token: Option<String>,
    },
    /// The worker (re)started and knows no tab yet: every tab answers with its `Hello`.
    Ready,
    /// The tab's `Hello` carried another [`PROTOCOL_VERSION`] than this worker's: the two come
    /// from different versions of the app, and the tab must not rely on this worker.
    VersionMismatch {
        /// The worker's protocol version.
        worker: u32,
        /// The tab's, as its `Hello` said.
        tab: u32,
    },
    /// The answer to request `request`: `error` is `None` on success.
    Reply {
        /// The request.
        request: RequestNo,
        /// Why it failed ([`crate::explain`] says it in words).
        error: Option<SyncError>,
    },
}

/// The `BroadcastChannel` on which a SharedWorker announces that it listens for `connect` events:
/// the worker named `worker_name` started from the absolute URL `script_url`.
///
/// A SharedWorker's first `connect` events fire before its wasm `main` can listen and are lost;
/// a tab subscribes to this channel before it creates the worker, and connects again when the
/// announcement comes before any message on its port.
pub fn worker_started_channel(worker_name: &str, script_url: &str) -> String {
    format!("localful-worker-started:{worker_name}:{script_url}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_tagged_camel_case_json() {
        let m = TabMessage::Logout { request: 7 };
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"type":"logout","request":7}"#);
        let sync = SyncState { phase: SyncPhase::Receiving { done: 1, total: 3 }, pending: 2, last_synced: None, vaults: vec![] };
        let w = WorkerMessage::State { auth: AuthState::LoggedOut, sync };
        let json = serde_json::to_string(&w).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"type":"state","auth":{"state":"loggedOut"},"sync":{"phase":{"state":"receiving","done":1,"#,
                r#""total":3},"pending":2,"lastSynced":null,"vaults":[]}}"#
            )
        );
        assert_eq!(serde_json::from_str::<WorkerMessage>(&json).unwrap(), w);
        let refused = WorkerMessage::Reply { request: 4, error: Some(SyncError::NotLoggedIn) };
        let json = serde_json::to_string(&refused).unwrap();
        assert_eq!(json, r#"{"type":"reply","request":4,"error":{"error":"notLoggedIn"}}"#);
        assert_eq!(serde_json::from_str::<WorkerMessage>(&json).unwrap(), refused);
        assert_eq!(serde_json::to_string(&TabMessage::RetryNow).unwrap(), r#"{"type":"retryNow"}"#);
        let t = WorkerMessage::Tokens { refresh_token: None };
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"type":"tokens","refreshToken":null}"#);
        assert_eq!(serde_json::from_str::<TabMessage>(r#"{"type":"bye"}"#).unwrap(), TabMessage::Bye);
    }

    #[test]
    fn hello_carries_the_sync_settings_both_ways_and_fills_what_is_left_out() {
        let sync = SyncConfig { debounce_ms: 1_500, batch_size: 20, ..SyncConfig::default() };
        let hello = TabMessage::Hello {
            app_name: "app".into(),
            server_url: "http://s".into(),
            device_name: "d".into(),
            refresh_token: None,
            sync: Some(sync),
            protocol: PROTOCOL_VERSION,
        };
        let json = serde_json::to_string(&hello).unwrap();
        assert!(json.contains(r#""sync":{"debounceMs":1500,"#), "{json}");
        assert_eq!(serde_json::from_str::<TabMessage>(&json).unwrap(), hello);

        let partial = r#"{"type":"hello","appName":"app","serverUrl":"http://s","deviceName":"d",
            "refreshToken":null,"sync":{"debounceMs":750}}"#;
        let TabMessage::Hello { sync: Some(read), .. } = serde_json::from_str(partial).unwrap() else { panic!() };
        assert_eq!(read, SyncConfig { debounce_ms: 750, ..SyncConfig::default() });

        let older = r#"{"type":"hello","appName":"app","serverUrl":"http://s","deviceName":"d","refreshToken":null}"#;
        assert!(matches!(serde_json::from_str(older).unwrap(), TabMessage::Hello { sync: None, protocol: 0, .. }));
    }

    #[test]
    fn signed_in_carries_the_user_and_tokens_and_no_password() {
        let at: localful_core::Timestamp = "2026-01-02T03:04:05.678Z".parse().unwrap();
        let user = User {
            id: "0192e4c0-0000-4000-8000-000000000001".parse().unwrap(),
            email: "a@b.c".into(),
            display_name: "Ada".into(),
            verified_at: None,
            first_verified_at: None,
            role: "user".into(),
            created_at: at,
            updated_at: at,
        };
        let tokens = Tokens { access_token: "acc".into(), refresh_token: "ref".into() };
        let m = TabMessage::SignedIn { request: 3, user, tokens };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"type":"signedIn","request":3,"user":{"id":"0192e4c0-0000-4000-8000-000000000001","email":"a@b.c","#,
                r#""displayName":"Ada","verifiedAt":null,"firstVerifiedAt":null,"role":"user","#,
                r#""createdAt":"2026-01-02T03:04:05.678Z","updatedAt":"2026-01-02T03:04:05.678Z"},"#,
                r#""tokens":{"accessToken":"acc","refreshToken":"ref"}}"#
            )
        );
        assert_eq!(serde_json::from_str::<TabMessage>(&json).unwrap(), m);
        // The messages of protocol 1 that carried the account password are gone: a worker of
        // this version does not take them.
        let old_login = r#"{"type":"login","request":1,"email":"a@b.c","password":"pw"}"#;
        assert!(serde_json::from_str::<TabMessage>(old_login).is_err());
        let old_register = r#"{"type":"register","request":1,"email":"a@b.c","displayName":"A","password":"pw"}"#;
        assert!(serde_json::from_str::<TabMessage>(old_register).is_err());
    }

    #[test]
    fn a_version_mismatch_names_both_versions() {
        let m = WorkerMessage::VersionMismatch { worker: 2, tab: 1 };
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"type":"versionMismatch","worker":2,"tab":1}"#);
    }
}
