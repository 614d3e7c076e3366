use crate::context::use_localful;
use crate::state::AsyncState;
use crate::worker::WorkerConnection;
use localful_core::sync::SyncError;
use localful_core::wire::User;
use localful_worker::tab_protocol::{AuthState, TabMessage};
use localful_worker::http::Credentials;
use yew::prelude::*;

/// The account session and its actions (see [`use_auth`]).
#[derive(Clone, PartialEq, Debug)]
pub struct UseAuthHandle {
    auth: AuthState,
    action: UseStateHandle<AsyncState<(), SyncError>>,
    worker: WorkerConnection,
    server_url: Option<String>,
}

impl UseAuthHandle {
    /// The session: `Unknown` (asking the worker), `LoggedOut`, `LoggedIn { user }`, or `Expired`
    /// (the server ended it).
    pub fn state(&self) -> &AuthState {
        &self.auth
    }

    /// Whether there is a session.
    pub fn is_logged_in(&self) -> bool {
        matches!(self.auth, AuthState::LoggedIn { .. })
    }

    /// Whether the server ended the session (refresh token expired, revoked or reused): sync has
    /// stopped until the user logs in again. Tell them so; nothing local is lost.
    pub fn is_expired(&self) -> bool {
        matches!(self.auth, AuthState::Expired)
    }

    /// The logged-in user, when the worker knows it (after a login or register in this browser
    /// session; a session restored from a stored refresh token knows no user details).
    pub fn user(&self) -> Option<&User> {
        match &self.auth {
            AuthState::LoggedIn { user } => user.as_ref(),
            _ => None,
        }
    }

    /// The latest action: `Ready(())` before any and after success, `Loading` while it runs,
    /// `Failed(error)`: a typed [`SyncError`] — the server's answer with its
    /// [`ErrorKind`](localful_core::wire::ErrorKind) (`auth-credentials-invalid`,
    /// `user-email-exists`, …), a wait the server asked for, a server that could not be reached or
    /// is not a Localful server. Show it with [`explain`](crate::explain), which says what to do.
    pub fn action(&self) -> &AsyncState<(), SyncError> {
        &self.action
    }

    fn run(&self, action: impl std::future::Future<Output = Result<(), SyncError>> + 'static) {
        self.action.set(AsyncState::Loading);
        let setter = self.action.setter();
        wasm_bindgen_futures::spawn_local(async move { setter.set(action.await.into()) });
    }

    fn sign_in(&self, credentials: Credentials) {
        let (worker, server_url) = (self.worker.clone(), self.server_url.clone());
        self.run(async move { worker.sign_in(server_url.as_deref(), credentials).await });
    }

    /// Registers an account and logs in. `password` is the account password: this tab derives the
    /// server password from it and registers over HTTP itself; the server never sees the
    /// password, and the sync worker (and other tabs) get only the session's tokens.
    pub fn register(&self, email: String, display_name: String, password: String) {
        self.sign_in(Credentials::Register { email, display_name, password });
    }

    /// Logs in, like [`register`](Self::register): over HTTP from this tab, the sync worker told
    /// only the session.
    pub fn login(&self, email: String, password: String) {
        self.sign_in(Credentials::LogIn { email, password });
    }

    /// Logs out everywhere in this browser (the sync worker has the server revoke the session;
    /// sync stops).
    pub fn logout(&self) {
        let worker = self.worker.clone();
        self.run(async move { worker.request(|request| TabMessage::Logout { request }).await });
    }
}

/// The account on the configured sync server: register, log in, log out, and the session every
/// tab shares. Re-renders when the session changes in any tab.
///
/// Logging in and registering run in this tab: it derives the server password from the account
/// password (SPEC "Encryption") and calls the server's HTTP API itself, then hands the sync worker
/// only the session's tokens. No password goes to the worker or over a `BroadcastChannel`. The
/// worker handles the tokens from then on: it refreshes them by itself, tells every tab the
/// session, and the tabs keep the refresh token in localStorage. Logging out is the worker's.
///
/// Without a [`server_url`](crate::LocalfulConfig) the state is `LoggedOut` and every action
/// fails with a reason.
///
/// # Example
/// ```no_run
/// # use localful_yew::{explain, use_auth, AsyncState};
/// # use yew::prelude::*;
/// #[function_component]
/// fn Account() -> Html {
///     let auth = use_auth();
///     let login = {
///         let auth = auth.clone();
///         move |_| auth.login("me@example.com".into(), "correct horse battery staple".into())
///     };
///     let logout = {
///         let auth = auth.clone();
///         move |_| auth.logout()
///     };
///     html! {
///         <div>
///             if auth.is_logged_in() {
///                 <button onclick={logout}>{ "Log out" }</button>
///             } else {
///                 <button onclick={login}>{ "Log in" }</button>
///             }
///             if let AsyncState::Failed(error) = auth.action() { <p class="error">{ explain(error) }</p> }
///         </div>
///     }
/// }
/// ```
///
/// # Caution
/// `AuthState` is `#[non_exhaustive]`; match it with a catch-all arm or use the helpers.
#[hook]
pub fn use_auth() -> UseAuthHandle {
    let ctx = use_localful();
    let (worker, server_url) = (ctx.worker().clone(), ctx.config().server_url.clone());
    let auth = use_state(|| worker.auth());
    let action = use_state(|| AsyncState::Ready(()));
    {
        let auth = auth.clone();
        use_effect_with(worker.clone(), move |worker| {
            auth.set(worker.auth());
            let source = worker.clone();
            let subscription = worker.subscribe(move || auth.set(source.auth()));
            move || drop(subscription)
        });
    }
    UseAuthHandle { auth: (*auth).clone(), action, worker, server_url }
}
