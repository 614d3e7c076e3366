//! Account and sync: server URL, register, log in, log out, this vault's sync, status.

use super::dialog::{dialog_keys, use_dialog_focus};
use super::input_value;
use crate::settings::{normalise_server, suggested_server, Settings};
use localful_core::sync::SyncStatus;
use localful_core::wire::ErrorKind;
use localful_worker::tab_protocol::TabMessage;
use localful_core::{Vault, VaultId};
use localful_yew::{use_auth, use_localful, use_sync_status, use_vaults, AsyncState};
use yew::prelude::*;

/// Properties of [`AccountPanel`].
#[derive(Properties, PartialEq)]
pub(crate) struct AccountPanelProps {
    /// The open vault (its sync switch), if any.
    #[prop_or_default]
    pub(crate) vault: Option<VaultId>,
    /// Closes the panel.
    pub(crate) on_close: Callback<()>,
}

/// What to tell people about a failed account action: the reason is either a server's error
/// identifier and message (`user-email-exists: ...`) or already plain words.
pub(crate) fn explain(reason: &str) -> String {
    // The identifier leads: `user-email-exists: ...` or `user-email-exists ...`.
    let id = reason.split(|c: char| !(c.is_ascii_lowercase() || c == '-')).next().unwrap_or("");
    let message = reason[id.len()..].trim_start_matches([':', ' ']);
    match ErrorKind::from(id) {
        ErrorKind::AuthCredentialsInvalid => "Wrong email or password.".into(),
        ErrorKind::UserEmailExists => "An account with this email already exists: log in instead.".into(),
        ErrorKind::UserRegistrationDisabled => "This server does not accept new accounts. Ask its admin, or log in.".into(),
        ErrorKind::AuthTokenInvalid | ErrorKind::AccessUnauthorized => "Your session has expired: log in again.".into(),
        ErrorKind::RequestInvalid => format!("The server refused the request: {reason}"),
        ErrorKind::SystemUnexpected => {
            "The server cannot be reached or did not answer properly: it may be down. Try again in a moment.".into()
        }
        _ if reason.contains("network") || reason.contains("fetch") || reason.contains("unreachable") => {
            "The server cannot be reached. Check the address and your connection.".into()
        }
        // Too many attempts, a busy server, or an identifier this app does not know: the message
        // after it is words for people (with the wait, when the server asked for one).
        _ if id.contains('-') && !message.is_empty() => message.to_string(),
        _ => reason.to_string(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Login,
    Register,
}

/// A dialog over the workspace.
#[function_component]
pub(crate) fn AccountPanel(props: &AccountPanelProps) -> Html {
    let settings = use_context::<Settings>();
    let ctx = use_localful();
    let auth = use_auth();
    let status = use_sync_status();
    let vaults = use_vaults();
    let server_text = use_state(|| {
        settings.as_ref().and_then(|s| s.server_url.clone()).unwrap_or_else(suggested_server)
    });
    let mode = use_state(|| Mode::Login);
    let email = use_state(String::new);
    let display_name = use_state(String::new);
    let password = use_state(String::new);
    let vault_error = use_state(|| None::<String>);
    let (dialog_ref, close_ref) = (use_node_ref(), use_node_ref());
    use_dialog_focus(close_ref.clone());

    let current_server = settings.as_ref().and_then(|s| s.server_url.clone());
    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(input_value(&e)))
    };
    let on_server = {
        let (settings, server_text) = (settings.clone(), server_text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let (Some(settings), Some(url)) = (&settings, normalise_server(&server_text)) {
                settings.set_server_url.emit(Some(url));
            }
        })
    };
    let on_local = {
        let settings = settings.clone();
        move |_| {
            if let Some(settings) = &settings {
                settings.set_server_url.emit(None);
            }
        }
    };
    let on_auth = {
        let (auth, mode, email, display_name, password) =
            (auth.clone(), mode.clone(), email.clone(), display_name.clone(), password.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match *mode {
                Mode::Login => auth.login(email.trim().to_string(), (*password).clone()),
                Mode::Register => {
                    auth.register(email.trim().to_string(), display_name.trim().to_string(), (*password).clone())
                }
            }
        })
    };
    let on_logout = {
        let auth = auth.clone();
        move |_| auth.logout()
    };
    let vault: Option<Vault> =
        vaults.vaults().ready().and_then(|list| list.iter().find(|v| Some(v.id) == props.vault).cloned());
    let on_sync_vault = {
        let (ctx, vault_error, id) = (ctx.clone(), vault_error.clone(), props.vault);
        move |_| {
            let Some(id) = id else { return };
            let (ctx, vault_error) = (ctx.clone(), vault_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.database().update_vault(id, |v| v.sync_enabled = true).await {
                    Ok(_) => {
                        vault_error.set(None);
                        ctx.worker().send(&TabMessage::Refresh);
                    }
                    Err(err) => vault_error.set(Some(format!("Sync could not be turned on: {err}"))),
                }
            });
        }
    };
    let busy = auth.action().is_loading();
    let on_close = props.on_close.clone();
    let on_keydown = dialog_keys(dialog_ref.clone(), props.on_close.clone());
    let switch_mode = {
        let mode = mode.clone();
        move |_| mode.set(if *mode == Mode::Login { Mode::Register } else { Mode::Login })
    };

    html! {
        <div ref={dialog_ref} class="overlay" role="dialog" aria-modal="true" aria-labelledby="account-title" onkeydown={on_keydown}>
            <section class="panel">
                <header class="panel-head">
                    <h2 id="account-title">{ "Account & sync" }</h2>
                    <button ref={close_ref} class="ghost" aria-label="Close" onclick={move |_| on_close.emit(())}>{ "✕" }</button>
                </header>

                <form class="server-form" onsubmit={on_server}>
                    <label for="server-url">{ "Sync server" }</label>
                    <div class="row">
                        <input id="server-url" type="url" value={(*server_text).clone()} oninput={set(&server_text)}
                            placeholder="https://notes.example.com" />
                        <button class="secondary" type="submit" disabled={normalise_server(&server_text).is_none()
                            || normalise_server(&server_text) == current_server}>{ "Use" }</button>
                    </div>
                    { match &current_server {
                        Some(url) => html! {
                            <p class="hint muted">{ format!("Syncing through {url}. ") }
                                <button type="button" class="link" onclick={on_local}>{ "Stop using a server" }</button></p>
                        },
                        None => html! { <p class="hint muted">{ "Local only: notes stay in this browser until you choose a server." }</p> },
                    } }
                </form>

                if current_server.is_some() {
                    <section class="sync-status" data-testid="sync-status">
                        <SyncLine status={status.clone()} />
                    </section>
                    if auth.is_logged_in() {
                        <section class="signed-in">
                            <p>{ "Logged in" }{ auth.user().map(|u| format!(" as {}", u.email)).unwrap_or_default() }</p>
                            { match &vault {
                                Some(v) if v.sync_enabled => html! { <p class="notice">{ format!("“{}” is synced.", v.name) }</p> },
                                Some(v) => html! {
                                    <button class="primary" onclick={on_sync_vault}>{ format!("Sync “{}” with this account", v.name) }</button>
                                },
                                None => html! {},
                            } }
                            if let Some(err) = &*vault_error { <p class="error" role="alert">{ err }</p> }
                            <button class="ghost" onclick={on_logout} disabled={busy}>{ "Log out" }</button>
                        </section>
                    } else {
                        <form class="auth-form" onsubmit={on_auth}>
                            <h3>{ if *mode == Mode::Login { "Log in" } else { "Create an account" } }</h3>
                            <label for="account-email">{ "Email" }</label>
                            <input id="account-email" type="email" autocomplete="username" value={(*email).clone()} oninput={set(&email)} />
                            if *mode == Mode::Register {
                                <label for="account-name">{ "Display name" }</label>
                                <input id="account-name" value={(*display_name).clone()} oninput={set(&display_name)} />
                            }
                            <label for="account-password">{ "Account password" }</label>
                            <input id="account-password" type="password"
                                autocomplete={if *mode == Mode::Login { "current-password" } else { "new-password" }}
                                value={(*password).clone()} oninput={set(&password)} />
                            <p class="hint muted">{ "Your vault passwords never leave this device; the account password only proves who you are." }</p>
                            if auth.is_expired() && !matches!(auth.action(), AsyncState::Failed(_)) {
                                <p class="error" role="alert" data-testid="account-error">{ explain(ErrorKind::AuthTokenInvalid.identifier()) }</p>
                            }
                            if let AsyncState::Failed(reason) = auth.action() {
                                <p class="error" role="alert" data-testid="account-error">{ explain(reason) }</p>
                            }
                            <div class="actions">
                                <button type="button" class="ghost" onclick={switch_mode}>
                                    { if *mode == Mode::Login { "Create an account" } else { "I have an account" } }
                                </button>
                                <button class="primary" type="submit" disabled={busy || email.trim().is_empty() || password.is_empty()}>
                                    { match (*mode, busy) { (_, true) => "Working…", (Mode::Login, _) => "Log in", (Mode::Register, _) => "Register" } }
                                </button>
                            </div>
                        </form>
                    }
                }
            </section>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SyncLineProps {
    status: SyncStatus,
}

/// The sync status in words, with a progress bar while syncing.
#[function_component]
fn SyncLine(props: &SyncLineProps) -> Html {
    match &props.status {
        SyncStatus::Syncing { done, total } => {
            let steps = 10_u64;
            let filled = if *total == 0 { 0 } else { (done * steps / total).min(steps) };
            html! {
                <>
                    <p>{ if *total == 0 { "Syncing…".to_string() } else { format!("Syncing… {done} of {total}") } }</p>
                    <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax={total.to_string()} aria-valuenow={done.to_string()}>
                        { for (0..steps).map(|i| html! { <span class={classes!((i < filled).then_some("on"))}></span> }) }
                    </div>
                </>
            }
        }
        SyncStatus::Idle => html! { <p class="ok">{ "✓ Up to date" }</p> },
        SyncStatus::Connecting => html! { <p>{ "Connecting to the server…" }</p> },
        SyncStatus::Offline => html! { <p class="muted">{ "Not connected. Log in to sync." }</p> },
        SyncStatus::Error { reason } => html! { <p class="error" role="alert">{ format!("Sync problem: {}", explain(reason)) }</p> },
        _ => html! {},
    }
}
