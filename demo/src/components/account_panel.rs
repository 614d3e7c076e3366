//! Account and sync: server URL, register, log in, log out, this vault's sync, status.

use super::dialog::{dialog_keys, use_dialog_focus};
use super::{input_value, ForgetDevice};
use super::now::{now_ms, use_now_ms, EVERY_FEW_SECONDS_MS};
use crate::settings::{normalise_server, suggested_server, Settings};
use crate::sync_words::{counted_down, details, headline};
use localful_worker::tab_protocol::TabMessage;
use localful_core::{VaultMeta, VaultId};
use localful_yew::{explain, use_auth, use_localful, use_sync_status, use_vaults, AsyncState, SyncPhase, UseSyncStatusHandle};
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
    let vault: Option<VaultMeta> =
        vaults.vaults().ready().and_then(|list| list.iter().find(|v| Some(v.id) == props.vault).cloned());
    // Beside the open vault, the state as it concerns it: "Up to date" from before its sync was
    // switched on speaks of the other vaults, while its notes may still be on this device only.
    let status = vault.as_ref().map_or_else(|| status.clone(), |v| status.for_vault(v));
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
                    <section class="sync-status" data-testid="sync-status" aria-live="polite">
                        <SyncLine sync={status.clone()} />
                    </section>
                    // Which of the two shows follows the one sync state, like the line above, so
                    // "Log in" never stands beside "Logged in as" (the session and the state come
                    // in one message from the worker).
                    if status.phase.is_signed_in() && auth.is_logged_in() {
                        <section class="signed-in">
                            <p>{ "Logged in" }{ auth.user().map(|u| format!(" as {}", u.email)).unwrap_or_default() }</p>
                            { match &vault {
                                Some(v) if v.sync_enabled => html! { <p class="muted">{ format!("“{}” syncs with this account.", v.name) }</p> },
                                Some(v) => html! {
                                    <button class="primary" onclick={on_sync_vault}>{ format!("Sync “{}” with this account", v.name) }</button>
                                },
                                None => html! {},
                            } }
                            if let Some(err) = &*vault_error { <p class="error" role="alert">{ err }</p> }
                            <button class="ghost" onclick={on_logout} disabled={busy}>{ "Log out" }</button>
                        </section>
                    } else if status.phase.needs_sign_in() {
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
                            if let AsyncState::Failed(error) = auth.action() {
                                <p class="error" role="alert" data-testid="account-error">{ explain(error) }</p>
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
                <ForgetDevice pending={status.pending} signed_in={status.phase.is_signed_in() && auth.is_logged_in()} />
            </section>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SyncLineProps {
    sync: UseSyncStatusHandle,
}

/// Where sync stands in words (with a progress bar while receiving), the changes waiting and the
/// last sync, and "Retry now" while waiting to retry or refused.
#[function_component]
fn SyncLine(props: &SyncLineProps) -> Html {
    let sync = &props.sync;
    // While a retry is planned, its time counts down each second from when the state came.
    let counting = matches!(sync.phase, SyncPhase::Unreachable { retry_in_ms: Some(_) });
    let now = use_now_ms(if counting { 1_000 } else { EVERY_FEW_SECONDS_MS });
    let received = *use_memo(sync.state().clone(), |_| now_ms());
    let (class, text) = headline(&counted_down(sync, now - received));
    let progress = match sync.phase {
        SyncPhase::Receiving { done, total } if total > 0 => {
            let steps = 10_u64;
            let filled = (done * steps / total).min(steps);
            html! {
                <div class="progress" role="progressbar" aria-label="Changes received" aria-valuemin="0"
                    aria-valuemax={total.to_string()} aria-valuenow={done.to_string()}>
                    { for (0..steps).map(|i| html! { <span class={classes!((i < filled).then_some("on"))}></span> }) }
                </div>
            }
        }
        _ => html! {},
    };
    let retry = {
        let sync = sync.clone();
        move |_| sync.retry_now()
    };
    let role = (class == "error").then_some("alert");
    html! {
        <>
            <p class={class} role={role} data-testid="sync-line">{ text }</p>
            { progress }
            { for details(sync, now).into_iter().map(|line| html! { <p class="muted" data-testid="sync-detail">{ line }</p> }) }
            if sync.phase.can_retry() {
                <button class="secondary" data-testid="sync-retry" onclick={retry}>{ "Retry now" }</button>
            }
        </>
    }
}
