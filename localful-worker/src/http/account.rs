//! Signing in from the page: the account password becomes the *server password* where the person
//! typed it, the page calls the server's HTTP API itself, and only the session that results (user
//! and tokens) goes to the sync worker (`TabMessage::SignedIn`). No password ever crosses a
//! worker port or a `BroadcastChannel`.

use super::{Api, HttpError};
use crate::explain;
use crate::runtime::page_origin;
use localful_core::crypto::{CryptoError, server_password};
use localful_core::sync::SyncError;
use localful_core::wire::{ErrorKind, Tokens, User};

/// The salt mixed into the server password (SPEC "Encryption": email ‖ app salt).
pub const APP_SALT: &str = "localful";

/// What a person typed to sign in. `Debug` leaves the password out.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// Log in to an existing account.
    LogIn {
        /// The email.
        email: String,
        /// The account password (never sent: the server gets the server password).
        password: String,
    },
    /// Create an account, and log in to it.
    Register {
        /// The email.
        email: String,
        /// The name shown.
        display_name: String,
        /// The account password (never sent: the server gets the server password).
        password: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::LogIn { email, .. } => f.debug_struct("LogIn").field("email", email).finish_non_exhaustive(),
            Credentials::Register { email, display_name, .. } => f
                .debug_struct("Register")
                .field("email", email)
                .field("display_name", display_name)
                .finish_non_exhaustive(),
        }
    }
}

/// The session a sign-in opened: what the page hands the sync worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    /// The account.
    pub user: User,
    /// Its access and refresh tokens.
    pub tokens: Tokens,
}

/// Why a sign-in failed. [`error`](Self::error) is the typed error tabs get (apps match on its
/// [`ErrorKind`]: `auth-credentials-invalid`, `user-email-exists`, `rate-limited`, …); `Display`
/// is what to tell the person ([`explain`](crate::explain) of it).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SignInError {
    /// This browser could not derive the server password (its WebCrypto failed).
    #[error("{}", explain::explain(&SyncError::Crypto { detail: _0.to_string() }))]
    Crypto(CryptoError),
    /// The server refused, or could not be reached.
    #[error("{}", explain::explain(reason))]
    Http {
        /// What went wrong.
        error: HttpError,
        /// The same, typed for tabs (with the server's address and this page's origin).
        reason: SyncError,
    },
}

impl SignInError {
    /// The server's error identifier, if the server answered.
    pub fn kind(&self) -> Option<&ErrorKind> {
        match self {
            SignInError::Http { error, .. } => error.kind(),
            SignInError::Crypto(_) => None,
        }
    }

    /// The typed error, as tabs get it.
    pub fn error(&self) -> SyncError {
        match self {
            SignInError::Http { reason, .. } => reason.clone(),
            SignInError::Crypto(e) => SyncError::Crypto { detail: e.to_string() },
        }
    }
}

/// Signs in at the server at `server_url`: derives the server password from the account password
/// (PBKDF2, [`server_password`] with [`APP_SALT`]), then `POST /v1/auth/login` or
/// `POST /v1/users`. Returns the session, for the page to hand to its sync worker.
pub async fn sign_in(server_url: &str, credentials: Credentials) -> Result<SignedIn, SignInError> {
    let api = Api::new(server_url);
    let (email, password) = match &credentials {
        Credentials::LogIn { email, password } | Credentials::Register { email, password, .. } => (email, password),
    };
    let sent = server_password(password, email, APP_SALT).await.map_err(SignInError::Crypto)?;
    let answer = match &credentials {
        Credentials::LogIn { email, .. } => api.login(email, &sent).await,
        Credentials::Register { email, display_name, .. } => api.register(email, display_name, &sent).await,
    };
    let failed = |error: HttpError| SignInError::Http {
        reason: explain::http_error(&error, api.base_url(), page_origin().as_deref()),
        error,
    };
    let user = answer.map_err(failed)?;
    let tokens = api.tokens().ok_or_else(|| failed(HttpError::Decode("no tokens in the answer".into())))?;
    Ok(SignedIn { user, tokens })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_print_the_password() {
        let login = Credentials::LogIn { email: "a@b.c".into(), password: "hunter2".into() };
        let register =
            Credentials::Register { email: "a@b.c".into(), display_name: "Ada".into(), password: "hunter2".into() };
        for shown in [format!("{login:?}"), format!("{register:?}"), format!("{login:#?}")] {
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("a@b.c"), "{shown}");
        }
    }
}
