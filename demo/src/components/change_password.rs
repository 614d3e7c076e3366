//! Changing the open vault's password: the current one, a new one (twice) with a strength hint.

use super::dialog::{dialog_keys, use_dialog_focus};
use super::{input_value, StrengthMeter};
use localful_core::VaultId;
use localful_yew::{use_vault, AsyncState, ChangePasswordError, MIN_PASSWORD_CHARS};
use yew::prelude::*;

/// Properties of [`ChangePassword`].
#[derive(Properties, PartialEq)]
pub(crate) struct ChangePasswordProps {
    /// The (unlocked) vault.
    pub(crate) vault: VaultId,
    /// Its name.
    pub(crate) name: String,
    /// Closes the dialog.
    pub(crate) on_close: Callback<()>,
}

/// What to tell the user when the change failed, and what to do.
fn explain(error: &ChangePasswordError) -> String {
    match error {
        ChangePasswordError::WrongPassword => {
            "The current password is not right. Type the password you unlock this vault with.".into()
        }
        ChangePasswordError::TooShort { min } => format!("Use at least {min} characters for the new password."),
        ChangePasswordError::ChangedElsewhere => {
            "The password was just changed in another tab or on another device. Type that newest password as the current one."
                .into()
        }
        _ => "The new password could not be saved, so the old one still works. Try again.".into(),
    }
}

/// A modal dialog: current password, new password, repeat, strength hint; "Change password".
#[function_component]
pub(crate) fn ChangePassword(props: &ChangePasswordProps) -> Html {
    let vault = use_vault(props.vault);
    let current = use_state(String::new);
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let (dialog_ref, first_ref) = (use_node_ref(), use_node_ref());
    use_dialog_focus(first_ref.clone());

    let state = vault.password_change();
    let busy = matches!(state, Some(AsyncState::Loading));
    let done = matches!(state, Some(AsyncState::Ready(())));
    let too_short = new.chars().count() < MIN_PASSWORD_CHARS;
    let mismatch = !confirm.is_empty() && *new != *confirm;
    let ready = !current.is_empty() && !too_short && *new == *confirm && !busy;

    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(input_value(&e)))
    };
    let onsubmit = {
        let (vault, current, new) = (vault.clone(), current.clone(), new.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if ready {
                // The outcome shows through `password_change()`; the future need not be awaited.
                let _ = vault.change_password((*current).clone(), (*new).clone());
            }
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let on_keydown = dialog_keys(dialog_ref.clone(), props.on_close.clone());

    html! {
        <div ref={dialog_ref} class="overlay" role="dialog" aria-modal="true" aria-labelledby="password-title" onkeydown={on_keydown}>
            <section class="panel">
                <header class="panel-head">
                    <h2 id="password-title">{ format!("Change the password of “{}”", props.name) }</h2>
                </header>
                if done {
                    <p class="notice" role="status" data-testid="password-changed">
                        { format!("Password changed. Use the new password the next time you unlock “{}”.", props.name) }
                    </p>
                    <div class="actions">
                        <button ref={first_ref} class="primary" onclick={close.clone()}>{ "Done" }</button>
                    </div>
                } else {
                    <form {onsubmit}>
                        <label for="password-current">{ "Current password" }</label>
                        <input ref={first_ref} id="password-current" type="password" autocomplete="current-password"
                            value={(*current).clone()} oninput={set(&current)} />
                        <label for="password-new">{ "New password" }</label>
                        <input id="password-new" type="password" autocomplete="new-password"
                            value={(*new).clone()} oninput={set(&new)} />
                        <StrengthMeter password={(*new).clone()} />
                        <label for="password-confirm">{ "Repeat new password" }</label>
                        <input id="password-confirm" type="password" autocomplete="new-password"
                            value={(*confirm).clone()} oninput={set(&confirm)} />
                        if mismatch { <p class="field-error" role="alert">{ "The new passwords do not match." }</p> }
                        else if !new.is_empty() && too_short {
                            <p class="field-error">{ format!("Use at least {MIN_PASSWORD_CHARS} characters.") }</p>
                        }
                        if let Some(AsyncState::Failed(error)) = state {
                            <p class="error" role="alert" data-testid="password-error">{ explain(error) }</p>
                        }
                        <p class="hint muted">{ "Your notes stay as they are; only the password that opens them changes, in every tab and, once synced, on your other devices." }</p>
                        <div class="actions">
                            <button type="button" class="ghost" onclick={close}>{ "Cancel" }</button>
                            <button class="primary" type="submit" disabled={!ready}>
                                { if busy { "Changing…" } else { "Change password" } }
                            </button>
                        </div>
                    </form>
                }
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_plain_words_with_what_to_do() {
        let missing = VaultId::new();
        let errors = [
            ChangePasswordError::WrongPassword,
            ChangePasswordError::TooShort { min: 8 },
            ChangePasswordError::ChangedElsewhere,
            ChangePasswordError::Store(localful_core::StoreError::VaultNotFound(missing).into()),
        ];
        for error in &errors {
            let text = explain(error);
            assert!(!text.contains('{') && !text.contains("Error") && !text.contains(&missing.to_string()), "{text}");
            assert!(text.ends_with('.'), "{text}");
        }
        assert_eq!(explain(&errors[1]), "Use at least 8 characters for the new password.");
    }
}
