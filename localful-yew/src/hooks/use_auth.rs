use crate::context::use_localful;
use crate::state::AsyncState;
use crate::worker::WorkerConnection;
use localful_core::wire::{AuthState, TabMessage, User};
use yew::prelude::*;

/// The account session and its actions (see [`use_auth`]).
#[derive(Clone, PartialEq, Debug)]
pub struct UseAuthHandle {
    auth: AuthState,
    action: UseStateHandle<AsyncState<(), String>>,
    worker: WorkerConnection,
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
    /// `Failed(reason)` — the server's error identifier (e.g. `auth-credentials-invalid`,
    /// `user-email-exists`) followed by a message.
    pub fn action(&self) -> &AsyncState<(), String> {
        &self.action
    }

    fn run(&self, make: impl FnOnce(u64) -> TabMessage + 'static) {
        self.action.set(AsyncState::Loading);
        let (worker, action) = (self.worker.clone(), self.action.setter());
        wasm_bindgen_futures::spawn_local(async move {
            action.set(worker.request(make).await.into());
        });
    }

    /// Registers an account and logs in. `password` is the account password: the worker derives
    /// the server password from it, the server never sees it.
    pub fn register(&self, email: String, display_name: String, password: String) {
        self.run(move |request| TabMessage::Register { request, email, display_name, password });
    }

    /// Logs in.
    pub fn login(&self, email: String, password: String) {
        self.run(move |request| TabMessage::Login { request, email, password });
    }

    /// Logs out everywhere in this browser (the server revokes the session; sync stops).
    pub fn logout(&self) {
        self.run(|request| TabMessage::Logout { request });
    }
}

/// The account on the configured sync server: register, log in, log out, and the session every
/// tab shares. Tokens are handled by the sync worker: it refreshes them by itself and the tab keeps
/// the refresh token in localStorage (SPEC "Encryption"). Re-renders when the session changes in
/// any tab.
///
/// Without a [`server_url`](crate::LocalfulConfig) the state is `LoggedOut` and every action
/// fails with a reason.
///
/// # Example
/// ```no_run
/// # use localful_yew::{use_auth, AsyncState};
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
///             if let AsyncState::Failed(reason) = auth.action() { <p class="error">{ reason }</p> }
///         </div>
///     }
/// }
/// ```
///
/// # Caution
/// `AuthState` is `#[non_exhaustive]`; match it with a catch-all arm or use the helpers.
#[hook]
pub fn use_auth() -> UseAuthHandle {
    let worker = use_localful().worker().clone();
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
    UseAuthHandle { auth: (*auth).clone(), action, worker }
}
