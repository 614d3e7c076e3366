use localful_core::{Collection, Direction, ItemId, Query, VaultId};
use localful_yew::*;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

#[derive(Serialize, Deserialize, Clone, PartialEq, Debug, Collection)]
#[collection(name = "notes")]
struct Note {
    title: String,
    body: String,
    // Copied unencrypted onto the local item (never sent to the server) and indexed.
    #[field(indexed)]
    tags: Vec<String>,
}

/// The text of the input an event came from.
fn input_value(e: Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
}

#[derive(Properties, PartialEq)]
struct TitleProps { title: String, onchange: Callback<Event> }

/// A note's title field. It keeps what is typed until it is committed: the stored title is
/// written into it only when that title changes (a `value={…}` would be put back by every
/// re-render, and a live list re-renders whenever a write or a sync lands).
#[function_component]
fn TitleInput(props: &TitleProps) -> Html {
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with(props.title.clone(), move |title| {
            if let Some(field) = input.cast::<web_sys::HtmlInputElement>() { field.set_value(title); }
        });
    }
    html! { <input aria-label="Title" ref={input} onchange={props.onchange.clone()} /> }
}

#[derive(Properties, PartialEq)]
struct NotesProps { vault: OpenVault }

#[function_component]
fn Notes(props: &NotesProps) -> Html {
    // `Note::TITLE`: the derived handle of the field (a typo would not compile).
    let query = Query::new().order_by(Note::TITLE, Direction::Ascending);
    let notes = use_query::<Note>(&props.vault, query);
    let mutation = use_mutation::<Note>(&props.vault);
    let add = {
        let mutation = mutation.clone();
        move |_| { mutation.create(Note { title: "New note".into(), body: String::new(), tags: vec![] }); }
    };
    let rename = |id: ItemId, note: &Note| {
        let (mutation, note) = (mutation.clone(), note.clone());
        move |e: Event| { mutation.update(id, Note { title: input_value(e), ..note.clone() }); }
    };
    html! {
        <>
            <button onclick={add} disabled={mutation.is_running()}>{ "Add" }</button>
            if let Some(err) = mutation.error() { <p class="error">{ err.to_string() }</p> }
            if let AsyncState::Ready(page) = &*notes {
                <ul>{ for page.entries.iter().map(|e| html! {
                    <li key={e.id().to_string()}>
                        <TitleInput title={e.data.title.clone()} onchange={rename(e.id(), &e.data)} />
                    </li>
                }) }</ul>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct GateProps { id: VaultId }

#[function_component]
fn Gate(props: &GateProps) -> Html {
    let vault = use_vault(props.id);
    match vault.state() {
        VaultState::Unlocked(open) => {
            let lock = { let vault = vault.clone(); move |_| vault.lock() };
            html! { <><button onclick={lock}>{ "Lock" }</button><Notes vault={open.clone()} /></> }
        }
        VaultState::Locked(meta) => {
            let unlock = vault.unlock_callback();
            let onchange = move |e: Event| unlock.emit(input_value(e));
            html! {
                <>
                    <label>{ format!("Password for {}", meta.name) }<input type="password" {onchange} /></label>
                    if let Some(err) = vault.unlock_error() { <p class="error">{ err.to_string() }</p> }
                </>
            }
        }
        VaultState::Failed(err) => html! { <p class="error">{ err.to_string() }</p> },
        _ => html! { <p>{ "…" }</p> },
    }
}

#[function_component]
fn App() -> Html {
    let vaults = use_vaults();
    match vaults.vaults() {
        AsyncState::Ready(list) if !list.is_empty() => html! { <Gate id={list[0].id} /> },
        AsyncState::Ready(_) => {
            let create = { let vaults = vaults.clone(); move |e: Event| vaults.create("Personal".into(), input_value(e)) };
            html! {
                <>
                    <label>{ "Password for a new vault" }<input type="password" onchange={create} /></label>
                    if let AsyncState::Failed(err) = vaults.created() { <p class="error">{ err.to_string() }</p> }
                </>
            }
        }
        AsyncState::Failed(err) => html! { <p class="error">{ err.to_string() }</p> },
        AsyncState::Loading => html! { <p>{ "…" }</p> },
    }
}

#[function_component]
fn Root() -> Html {
    let config = LocalfulConfig::new("local-notes").with_collection::<Note>().with_device_name("laptop");
    html! { <LocalfulProvider {config}><App /></LocalfulProvider> }
}

fn main() {
    yew::Renderer::<Root>::new().render();
}
