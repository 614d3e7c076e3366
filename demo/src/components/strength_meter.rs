//! The password strength hint under a new password.

use crate::strength::Strength;
use yew::prelude::*;

/// Properties of [`StrengthMeter`].
#[derive(Properties, PartialEq)]
pub(crate) struct StrengthMeterProps {
    /// The password being typed.
    pub(crate) password: String,
}

/// A five-step bar, a label and a hint.
#[function_component]
pub(crate) fn StrengthMeter(props: &StrengthMeterProps) -> Html {
    if props.password.is_empty() {
        return html! { <p class="hint muted">{ "Choose a passphrase you will remember: it cannot be reset." }</p> };
    }
    let strength = Strength::of(&props.password);
    html! {
        <div class={classes!("strength", format!("strength-{}", strength.0))} data-testid="strength">
            <div class="strength-bar" aria-hidden="true">
                { for (0..5).map(|i| html! { <span class={classes!((i <= strength.0).then_some("on"))}></span> }) }
            </div>
            <p class="hint"><strong>{ strength.label() }</strong>{ " — " }{ strength.hint() }</p>
        </div>
    }
}
