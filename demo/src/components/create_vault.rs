//! Creating a vault: a name and a password (twice), with a strength hint.

use super::{input_value, Brand, Footer, StrengthMeter};
use crate::strength::MIN_LENGTH;
use localful_yew::{AsyncState, UseVaultsHandle};
use yew::prelude::*;

/// Properties of [`CreateVault`].
#[derive(Properties, PartialEq)]
pub(crate) struct CreateVaultProps {
    /// The vault list handle (its `create` unlocks the new vault; the home screen then opens it).
    pub(crate) vaults: UseVaultsHandle,
    /// Whether this is the first vault (onboarding wording, no cancel).
    #[prop_or_default]
    pub(crate) first: bool,
    /// Back to the vault list.
    #[prop_or_default]
    pub(crate) on_cancel: Option<Callback<()>>,
    /// Opens the account panel (log in to get the vaults of another device).
    #[prop_or_default]
    pub(crate) on_account: Option<Callback<()>>,
    /// Opens "Your data" to restore a backup, when given.
    #[prop_or_default]
    pub(crate) on_restore: Option<Callback<()>>,
}

/// The create-vault form.
#[function_component]
pub(crate) fn CreateVault(props: &CreateVaultProps) -> Html {
    let name = use_state(|| if props.first { "Personal".to_string() } else { String::new() });
    let password = use_state(String::new);
    let confirm = use_state(String::new);
    let busy = props.vaults.created().is_loading();
    let too_short = password.chars().count() < MIN_LENGTH;
    let mismatch = !confirm.is_empty() && *password != *confirm;
    let ready = !name.trim().is_empty() && !too_short && *password == *confirm && !busy;

    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(input_value(&e)))
    };
    let onsubmit = {
        let (vaults, name, password) = (props.vaults.clone(), name.clone(), password.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if ready {
                vaults.create(name.trim().to_string(), (*password).clone());
            }
        })
    };
    let error = match props.vaults.created() {
        AsyncState::Failed(err) => Some(format!("The vault could not be created: {err}")),
        _ => None,
    };
    html! {
        <main class="center">
            <section class="card" aria-labelledby="create-title">
                <Brand />
                if props.first { <p class="step">{ "Step 2 of 2" }</p> }
                <h1 id="create-title">{ if props.first { "Create your first vault" } else { "New vault" } }</h1>
                <p class="muted">{ "A vault is an encrypted notebook. Its password never leaves this device and cannot be recovered — write it down somewhere safe." }</p>
                <form {onsubmit}>
                    <label for="vault-name">{ "Vault name" }</label>
                    <input id="vault-name" value={(*name).clone()} oninput={set(&name)} autocomplete="off" />
                    <label for="vault-password">{ "Password" }</label>
                    <input id="vault-password" type="password" autocomplete="new-password"
                        value={(*password).clone()} oninput={set(&password)} />
                    <StrengthMeter password={(*password).clone()} />
                    <label for="vault-confirm">{ "Repeat password" }</label>
                    <input id="vault-confirm" type="password" autocomplete="new-password"
                        value={(*confirm).clone()} oninput={set(&confirm)} />
                    if mismatch { <p class="field-error" role="alert">{ "The passwords do not match." }</p> }
                    else if !password.is_empty() && too_short {
                        <p class="field-error">{ format!("Use at least {MIN_LENGTH} characters.") }</p>
                    }
                    if let Some(error) = error { <p class="error" role="alert">{ error }</p> }
                    <div class="actions">
                        if let Some(cancel) = props.on_cancel.clone() {
                            <button type="button" class="ghost" onclick={move |_| cancel.emit(())}>{ "Cancel" }</button>
                        }
                        <button class="primary" type="submit" disabled={!ready}>
                            { if busy { "Creating…" } else { "Create vault" } }
                        </button>
                    </div>
                </form>
                if let Some(on_account) = props.on_account.clone() {
                    <p class="alt muted">{ "Already use Localful Notes on another device? " }
                        <button type="button" class="link" onclick={move |_| on_account.emit(())}>{ "Log in to sync your vaults" }</button>
                    </p>
                }
                if let Some(on_restore) = props.on_restore.clone() {
                    <p class="alt muted">{ "Have a backup file? " }
                        <button type="button" class="link" data-testid="open-restore" onclick={move |_| on_restore.emit(())}>{ "Restore from backup" }</button>
                    </p>
                }
            </section>
            <Footer />
        </main>
    }
}
