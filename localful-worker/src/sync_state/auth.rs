//! [`AuthState`]: the session as tabs see it.

use localful_protocol::User;
use serde::{Deserialize, Serialize};

/// The session as tabs see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
#[non_exhaustive]
pub enum AuthState {
    /// Not known yet (the worker has not answered).
    #[default]
    Unknown,
    /// No session.
    LoggedOut,
    /// The server ended the session: its refresh token expired, was revoked (logged out
    /// elsewhere) or was used twice. Sync stopped and the stored token is forgotten; the user must
    /// log in again. Local data is untouched.
    Expired,
    /// Logged in as `user`.
    LoggedIn {
        /// The account.
        user: Option<User>,
    },
}
