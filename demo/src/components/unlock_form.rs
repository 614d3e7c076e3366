//! The password prompt of a locked vault.

use super::{input_value, Brand, Footer};
use localful_core::crypto::CryptoError;
use localful_core::Error;
use yew::prelude::*;

/// Properties of [`UnlockForm`].
#[derive(Properties, PartialEq)]
pub(crate) struct UnlockFormProps {
    /// The vault's name.
    pub(crate) name: String,
    /// Whether a password is being checked.
    pub(crate) busy: bool,
    /// Why the last attempt failed.
    pub(crate) error: Option<Error>,
    /// Tries a password; `true`: keep the vault unlocked on this device.
    pub(crate) on_unlock: Callback<(String, bool)>,
    /// Back to the vault list.
    pub(crate) on_back: Callback<()>,
}

/// What to tell the user about a failed unlock.
fn message(error: &Error) -> String {
    match error {
        Error::Crypto(CryptoError::WrongPassword) => "Wrong password. Check it (and Caps Lock) and try again.".into(),
        other => format!("The vault could not be unlocked: {other}"),
    }
}

/// Asks for the password; the typed text stays after a wrong attempt so it can be corrected.
#[function_component]
pub(crate) fn UnlockForm(props: &UnlockFormProps) -> Html {
    let password = use_state(String::new);
    let remember = use_state(|| false);
    let on_remember = {
        let remember = remember.clone();
        Callback::from(move |e: Event| {
            let checked = e.target_dyn_into::<web_sys::HtmlInputElement>().is_some_and(|input| input.checked());
            remember.set(checked);
        })
    };
    let oninput = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| password.set(input_value(&e)))
    };
    let onsubmit = {
        let (password, remember, on_unlock, busy) = (password.clone(), remember.clone(), props.on_unlock.clone(), props.busy);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !busy && !password.is_empty() {
                on_unlock.emit(((*password).clone(), *remember));
            }
        })
    };
    let on_back = props.on_back.clone();
    html! {
        <main class="center">
            <section class="card" aria-labelledby="unlock-title">
                <Brand />
                <h1 id="unlock-title">{ format!("Unlock {}", props.name) }</h1>
                <p class="muted">{ "This vault is locked. Its notes are decrypted only in this browser, with your password." }</p>
                <form {onsubmit}>
                    <label for="unlock-password">{ "Password" }</label>
                    <input id="unlock-password" type="password" autocomplete="current-password" autofocus=true
                        aria-invalid={props.error.is_some().to_string()}
                        value={(*password).clone()} {oninput} />
                    if let Some(error) = &props.error {
                        <p class="error" role="alert" data-testid="unlock-error">{ message(error) }</p>
                    }
                    <label class="check">
                        <input id="unlock-remember" type="checkbox" checked={*remember} onchange={on_remember}
                            aria-describedby="unlock-remember-hint" />
                        { "Stay unlocked on this device" }
                    </label>
                    <p id="unlock-remember-hint" class="muted hint">
                        { "Only on a device you alone use: anyone using this browser can then open the vault without the password. \
                           Locking the vault makes this device forget it." }
                    </p>
                    <div class="actions">
                        <button type="button" class="ghost" onclick={move |_| on_back.emit(())}>{ "All vaults" }</button>
                        <button class="primary" type="submit" disabled={props.busy || password.is_empty()}>
                            { if props.busy { "Unlocking…" } else { "Unlock" } }
                        </button>
                    </div>
                </form>
            </section>
            <Footer />
        </main>
    }
}
