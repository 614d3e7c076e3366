//! The root component.

use localful_yew::{use_localful, LocalfulConfig, LocalfulProvider};
use yew::prelude::*;

/// The demo's root: the Localful provider around the notes UI.
#[function_component]
pub(crate) fn App() -> Html {
    html! {
        <LocalfulProvider config={LocalfulConfig::new("localful-notes")}>
            <Shell />
        </LocalfulProvider>
    }
}

#[function_component]
fn Shell() -> Html {
    let localful = use_localful();
    html! {
        <main class="shell">
            <header class="topbar">
                <h1>{ "Localful Notes" }</h1>
                <span class="app-id" data-testid="app-name">{ localful.config().app_name.clone() }</span>
            </header>
            <p class="empty">{ "Your notes live in this browser, encrypted." }</p>
        </main>
    }
}
