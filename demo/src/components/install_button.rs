//! "Install app": offered while the browser would install the demo as an app (see `pwa.js`).

use crate::pwa;
use gloo::events::EventListener;
use yew::prelude::*;

/// A button shown while the browser offers installation; it opens the browser's install dialog.
#[function_component]
pub(crate) fn InstallButton() -> Html {
    let offered = use_state(pwa::can_install);
    {
        let offered = offered.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, pwa::INSTALL_CHANGED_EVENT, move |_| offered.set(pwa::can_install()))
            });
            move || drop(listener)
        });
    }
    if !*offered {
        return html! {};
    }
    html! {
        <button class="link" data-testid="install-app" title="Open Localful Notes in its own window, offline too"
            onclick={|_| pwa::install()}>{ "Install app" }</button>
    }
}
