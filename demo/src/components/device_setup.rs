//! Onboarding, step 1: name this device (its name marks the versions it writes).

use super::{input_value, Brand, Footer};
use yew::prelude::*;

/// Properties of [`DeviceSetup`].
#[derive(Properties, PartialEq)]
pub(crate) struct DeviceSetupProps {
    /// Called with the chosen name.
    pub(crate) on_done: Callback<String>,
}

/// Asks for the device's name.
#[function_component]
pub(crate) fn DeviceSetup(props: &DeviceSetupProps) -> Html {
    let name = use_state(String::new);
    let oninput = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(input_value(&e)))
    };
    let onsubmit = {
        let (name, on_done) = (name.clone(), props.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen = name.trim();
            if !chosen.is_empty() {
                on_done.emit(chosen.to_string());
            }
        })
    };
    html! {
        <main class="center">
            <section class="card" aria-labelledby="welcome-title">
                <Brand />
                <p class="step">{ "Step 1 of 2" }</p>
                <h1 id="welcome-title">{ "Welcome" }</h1>
                <p class="muted">
                    { "Your notes are encrypted on this device before they are stored. First, give this device a name — it labels the versions written here, so history shows where each edit came from." }
                </p>
                <form {onsubmit}>
                    <label for="device-name">{ "Device name" }</label>
                    <input id="device-name" name="device-name" placeholder="e.g. Work laptop" autocomplete="off"
                        value={(*name).clone()} {oninput} autofocus=true />
                    <button class="primary" type="submit" disabled={name.trim().is_empty()}>{ "Continue" }</button>
                </form>
            </section>
            <Footer />
        </main>
    }
}
