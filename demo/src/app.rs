//! The root component: onboarding of the device, then the Localful provider around the notes UI.

use crate::components::{DeviceSetup, Home, UpdateBanner};
use crate::drafts::Drafts;
use crate::model::Note;
use crate::prefs;
use crate::settings::Settings;
use gloo::events::{EventListener, EventListenerOptions};
use localful_yew::{LocalfulConfig, LocalfulProvider};
use yew::prelude::*;

/// The app's name: it namespaces the IndexedDB databases and the change channel.
pub(crate) const APP_NAME: &str = "localful-notes";

/// The demo's root.
#[function_component]
pub(crate) fn App() -> Html {
    let device = use_state(prefs::device_name);
    let drafts = use_memo((), |()| Drafts::default());
    // Leaving the page (closing the tab, switching apps on a phone): write what is unsaved.
    {
        let drafts = (*drafts).clone();
        use_effect_with((), move |()| {
            let listeners = web_sys::window().map(|window| {
                let flushers = ["pagehide", "visibilitychange"].map(|name| {
                    let drafts = drafts.clone();
                    EventListener::new(&window, name, move |_| {
                        if drafts.has_pending() {
                            let drafts = drafts.clone();
                            wasm_bindgen_futures::spawn_local(async move { drafts.flush().await });
                        }
                    })
                });
                // A reload or close within the save delay: save now and ask the browser to
                // confirm leaving (by the time the user answers, the text is stored).
                let drafts = drafts.clone();
                let guard = EventListener::new_with_options(
                    &window,
                    "beforeunload",
                    EventListenerOptions::enable_prevent_default(),
                    move |event| {
                        if drafts.has_pending() {
                            let drafts = drafts.clone();
                            wasm_bindgen_futures::spawn_local(async move { drafts.flush().await });
                            event.prevent_default();
                        }
                    },
                );
                (flushers, guard)
            });
            move || drop(listeners)
        });
    }
    let server_url = use_state(prefs::server_url);
    let settings = Settings {
        server_url: (*server_url).clone(),
        set_server_url: {
            let server_url = server_url.clone();
            Callback::from(move |url: Option<String>| {
                prefs::set_server_url(url.as_deref());
                server_url.set(url);
            })
        },
    };
    let on_named = {
        let device = device.clone();
        Callback::from(move |name: String| {
            prefs::set_device_name(&name);
            device.set(Some(name));
        })
    };
    html! {
        <ContextProvider<Drafts> context={(*drafts).clone()}>
        <ContextProvider<Settings> context={settings.clone()}>
            <UpdateBanner />
            { match &*device {
                None => html! { <DeviceSetup on_done={on_named} /> },
                Some(name) => html! { <Provided device={name.clone()} server={settings.server_url.clone()} /> },
            } }
        </ContextProvider<Settings>>
        </ContextProvider<Drafts>>
    }
}

#[derive(Properties, PartialEq)]
struct ProvidedProps {
    device: String,
    server: Option<String>,
}

/// The provider, configured once per device name and server (a new configuration reopens the
/// database and the sync worker connection).
#[function_component]
fn Provided(props: &ProvidedProps) -> Html {
    let config = use_memo((props.device.clone(), props.server.clone()), |(device, server)| {
        let config = LocalfulConfig::new(APP_NAME).with_collection::<Note>().with_device_name(device.clone());
        match server {
            Some(url) => config.with_server(url.clone()),
            None => config,
        }
    });
    html! {
        <LocalfulProvider config={(*config).clone()}>
            <Home />
        </LocalfulProvider>
    }
}
