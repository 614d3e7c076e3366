//! The logo line and the small footer of the card screens.

use crate::pwa;
use yew::prelude::*;

/// The app's logo and name.
#[function_component]
pub(crate) fn Brand() -> Html {
    html! {
        <div class="brand">
            <img class="brand-mark" src="/icon.svg" alt="" width="28" height="28" />
            <span class="brand-name">{ "Localful Notes" }</span>
        </div>
    }
}

/// Build id and a one-line promise.
#[function_component]
pub(crate) fn Footer() -> Html {
    let build = use_memo((), |()| pwa::build_id().unwrap_or_else(|| "dev".into()));
    html! {
        <footer class="footer">
            <span>{ "End-to-end encrypted · works offline" }</span>
            <span class="build" data-testid="build-id">{ format!("build {build}") }</span>
        </footer>
    }
}
