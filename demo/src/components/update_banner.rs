//! "Update ready": shown when the service worker has installed a new build.

use crate::drafts::Drafts;
use crate::pwa;
use gloo::events::EventListener;
use yew::prelude::*;

/// A banner with a reload button; reloading first saves what was typed.
#[function_component]
pub(crate) fn UpdateBanner() -> Html {
    let ready = use_state(pwa::update_ready);
    let applying = use_state(|| false);
    let drafts = use_context::<Drafts>().unwrap_or_default();
    {
        let ready = ready.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window()
                .map(|window| EventListener::new(&window, pwa::UPDATE_READY_EVENT, move |_| ready.set(true)));
            move || drop(listener)
        });
    }
    if !*ready {
        return html! {};
    }
    let onclick = {
        let applying = applying.clone();
        move |_| {
            applying.set(true);
            let drafts = drafts.clone();
            wasm_bindgen_futures::spawn_local(async move {
                drafts.flush().await;
                pwa::apply_update();
            });
        }
    };
    html! {
        <div class="update-banner" role="status" data-testid="update-banner">
            <span>{ "Update ready — a new version of Localful Notes is installed." }</span>
            <button class="primary small" {onclick} disabled={*applying}>
                { if *applying { "Reloading…" } else { "Reload to update" } }
            </button>
        </div>
    }
}
