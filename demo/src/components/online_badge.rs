//! Online/offline indicator.

use gloo::events::EventListener;
use yew::prelude::*;

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// "Offline" while the browser has no network, "Local" otherwise (this build does not sync).
#[function_component]
pub(crate) fn OnlineBadge() -> Html {
    let is_online = use_state(online);
    {
        let is_online = is_online.clone();
        use_effect_with((), move |()| {
            let listeners = web_sys::window().map(|window| {
                let (a, b) = (is_online.clone(), is_online.clone());
                (
                    EventListener::new(&window, "online", move |_| a.set(online())),
                    EventListener::new(&window, "offline", move |_| b.set(online())),
                )
            });
            move || drop(listeners)
        });
    }
    if *is_online {
        html! { <span class="badge" title="Notes are stored encrypted in this browser" data-testid="network">{ "Local" }</span> }
    } else {
        html! { <span class="badge offline" title="No network: everything keeps working on this device" data-testid="network">{ "Offline" }</span> }
    }
}
