//! The cross-tab viewer: a Yew app on `localful-yew` that lists a vault's notes with `use_query`,
//! so a write in another tab reaches this DOM through the `BroadcastChannel` change event.

use crate::model::Note;
use localful_core::{Query, VaultId};
use localful_yew::{AsyncState, LocalfulConfig, LocalfulProvider, OpenVault, VaultState, use_query, use_vault};
use yew::prelude::*;

/// Mounts the viewer when the page's URL asks for it (`?view=<vault>&app=<app>&password=<pw>`).
pub(crate) fn mount_if_asked() {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    let (Some(vault), Some(app), Some(password)) = (params.get("view"), params.get("app"), params.get("password"))
    else {
        return;
    };
    let Ok(vault) = vault.parse::<VaultId>() else {
        return;
    };
    yew::Renderer::<App>::with_props(AppProps { vault, app, password }).render();
}

#[derive(Properties, PartialEq)]
struct AppProps {
    vault: VaultId,
    app: String,
    password: String,
}

#[function_component]
fn App(props: &AppProps) -> Html {
    let config = use_memo(props.app.clone(), |app| LocalfulConfig::new(app.clone()).with_collection::<Note>());
    html! {
        <LocalfulProvider config={(*config).clone()}>
            <Viewer vault={props.vault} password={props.password.clone()} />
        </LocalfulProvider>
    }
}

#[derive(Properties, PartialEq)]
struct ViewerProps {
    vault: VaultId,
    password: String,
}

#[function_component]
fn Viewer(props: &ViewerProps) -> Html {
    let vault = use_vault(props.vault);
    let locked = matches!(vault.state(), VaultState::Locked(_));
    {
        let (vault, password) = (vault.clone(), props.password.clone());
        use_effect_with(locked, move |locked| {
            if *locked {
                vault.unlock(password);
            }
        });
    }
    match vault.state() {
        VaultState::Unlocked(open) => html! { <Notes vault={open.clone()} /> },
        VaultState::Failed(err) => html! { <p id="error">{ err.to_string() }</p> },
        _ => html! { <p id="status">{ "unlocking" }</p> },
    }
}

#[derive(Properties, PartialEq)]
struct NotesProps {
    vault: OpenVault,
}

#[function_component]
fn Notes(props: &NotesProps) -> Html {
    let notes = use_query::<Note>(&props.vault, Query::new());
    match &*notes {
        AsyncState::Ready(page) => html! {
            <ul id="notes" data-count={page.entries.len().to_string()}>
                { for page.entries.iter().map(|e| html! { <li key={e.id().to_string()} id={format!("n-{}", e.id())}>{ &e.data.title }</li> }) }
            </ul>
        },
        AsyncState::Failed(err) => html! { <p id="error">{ err.to_string() }</p> },
        AsyncState::Loading => html! { <p id="status">{ "loading" }</p> },
    }
}
