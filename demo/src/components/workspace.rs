//! An unlocked vault: the sidebar (search, tags, notes) and the editor.

use super::editor::close_at_once;
use super::{input_value, AccountPanel, ChangePassword, Devices, Editor, InstallButton, NoteList, OnlineBadge, TagFilter, YourData};
use crate::drafts::Drafts;
use crate::model::Note;
use crate::pwa;
use localful_core::{Direction, Field, ItemId, Op, Query};
use localful_yew::{use_mutation, use_query, AsyncState, OpenVault};
use serde_json::json;
use yew::prelude::*;

/// Properties of [`Workspace`].
#[derive(Properties, PartialEq)]
pub(crate) struct WorkspaceProps {
    /// The unlocked vault.
    pub(crate) vault: OpenVault,
    /// Its name.
    pub(crate) name: String,
    /// Locks it (after saving what was typed).
    pub(crate) on_lock: Callback<()>,
    /// Back to the vault list (the vault stays unlocked).
    pub(crate) on_vaults: Callback<()>,
}

/// The notes query: text search (`Like`, over the encrypted title and body, so it runs on
/// decrypted data) and a tag (`In` on the exposed, indexed `tags`: an index key), newest first.
fn notes_query(search: &str, tag: Option<&str>) -> Query {
    let mut query = Query::new();
    if let Some(tag) = tag {
        // `In` on the indexed tags reads the tag's index key (`Includes` would scan every note).
        query = query.filter(Note::TAGS, Op::In, json!([tag]));
    }
    let search = search.trim();
    if !search.is_empty() {
        query = query.any_of([(Note::TITLE.into(), Op::Like, json!(search)), (Note::BODY.into(), Op::Like, json!(search))]);
    }
    query.order_by(Field::UpdatedAt, Direction::Descending)
}

/// What the editor pane shows.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Pane {
    /// No note is open.
    Empty,
    /// "+ New note" was pressed and the note is being created. The previous editor is already
    /// closed (its typing saved), so nothing typed in the meantime lands in the previous note.
    Creating,
    /// A note is open; `new` when it was just created (its title gets the focus).
    Note { id: ItemId, new: bool },
}

impl Pane {
    fn note(self) -> Option<ItemId> {
        match self {
            Pane::Note { id, .. } => Some(id),
            Pane::Empty | Pane::Creating => None,
        }
    }
}

/// Sidebar + editor; on a narrow screen one of the two at a time.
#[function_component]
pub(crate) fn Workspace(props: &WorkspaceProps) -> Html {
    let drafts = use_context::<Drafts>().unwrap_or_default();
    let search = use_state(String::new);
    let tag = use_state(|| None::<String>);
    let pane = use_state(|| Pane::Empty);
    let create_error = use_state(|| None::<String>);
    let account_open = use_state(|| false);
    let data_open = use_state(|| false);
    let password_open = use_state(|| false);
    let devices_open = use_state(|| false);
    let editor_pane = use_node_ref();

    let all = use_query::<Note>(&props.vault, Query::new());
    let notes = use_query::<Note>(&props.vault, notes_query(&search, tag.as_deref()));
    let mutation = use_mutation::<Note>(&props.vault);

    let on_search = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| search.set(input_value(&e)))
    };
    let on_tag = {
        let tag = tag.clone();
        Callback::from(move |next: Option<String>| tag.set(next))
    };
    let on_select = {
        let (pane, editor_pane) = (pane.clone(), editor_pane.clone());
        Callback::from(move |id: ItemId| {
            if pane.note() != Some(id) {
                close_at_once(&editor_pane);
            }
            pane.set(Pane::Note { id, new: false });
        })
    };
    let on_new = {
        let (mutation, drafts, pane, search, tag) =
            (mutation.clone(), drafts.clone(), pane.clone(), search.clone(), tag.clone());
        let (create_error, editor_pane) = (create_error.clone(), editor_pane.clone());
        Callback::from(move |_| {
            let (mutation, drafts, pane, create_error) =
                (mutation.clone(), drafts.clone(), pane.clone(), create_error.clone());
            // A new note carries the tag being filtered on, so it stays in view.
            let note = Note { tags: tag.iter().cloned().collect(), ..Note::default() };
            search.set(String::new());
            // Close the open editor now (it saves its typing as it unmounts), not when the new
            // note exists: typing meant for the new note must not reach the old one meanwhile.
            // Its fields take no typing from this moment, even before the render removes it.
            close_at_once(&editor_pane);
            pane.set(Pane::Creating);
            wasm_bindgen_futures::spawn_local(async move {
                drafts.flush().await;
                match mutation.create(note).await {
                    Ok(id) => {
                        create_error.set(None);
                        pane.set(Pane::Note { id, new: true });
                    }
                    Err(err) => {
                        create_error.set(Some(format!("The note could not be created: {}", crate::write_error::explain(&err))));
                        pane.set(Pane::Empty);
                    }
                }
            });
        })
    };
    let on_close = {
        let pane = pane.clone();
        Callback::from(move |()| pane.set(Pane::Empty))
    };
    let on_lock = props.on_lock.clone();
    let on_vaults = props.on_vaults.clone();
    let total = all.ready().map(|page| page.entries.len());

    html! {
        // One main landmark around both panes: on a phone only one of them shows at a time.
        <main class={classes!("workspace", (*pane != Pane::Empty).then_some("editing"))}>
            // The page's one top-level heading, for screen readers (the visible vault name sits in
            // a button, which cannot hold a heading).
            <h1 class="sr-only">{ format!("{} notes", props.name) }</h1>
            <aside class="sidebar" aria-label="Notes">
                <header class="sidebar-head">
                    <button class="vault-switch" title="All vaults" onclick={move |_| on_vaults.emit(())}>
                        <img src="/icon.svg" alt="" width="22" height="22" />
                        <span class="vault-title" data-testid="vault-name">{ &props.name }</span>
                    </button>
                    <OnlineBadge vault={Some(props.vault.id())} onclick={{
                        let account_open = account_open.clone();
                        Callback::from(move |()| account_open.set(true))
                    }} />
                    <button class="icon-button" title="Lock vault" aria-label="Lock" onclick={move |_| on_lock.emit(())}>
                        <img src="/lock.svg" alt="" width="14" height="14" />{ "Lock" }
                    </button>
                </header>
                <div class="sidebar-tools">
                    <input class="search" type="search" placeholder="Search notes" aria-label="Search notes"
                        value={(*search).clone()} oninput={on_search} />
                    <button class="primary new-note" onclick={on_new}>{ "+ New note" }</button>
                </div>
                { match &*all {
                    AsyncState::Ready(page) => html! {
                        <TagFilter notes={page.entries.iter().map(|e| e.data.clone()).collect::<Vec<_>>()}
                            selected={(*tag).clone()} on_select={on_tag} />
                    },
                    _ => html! {},
                } }
                if let Some(err) = &*create_error { <p class="error" role="alert">{ err }</p> }
                { match &*notes {
                    AsyncState::Loading => html! { <p class="muted pad">{ "Loading notes…" }</p> },
                    AsyncState::Failed(err) => html! { <p class="error pad" role="alert">{ format!("Notes could not be read: {err}") }</p> },
                    AsyncState::Ready(page) => html! {
                        <NoteList entries={page.entries.clone()} selected={pane.note()} on_select={on_select}
                            filtered={!search.trim().is_empty() || tag.is_some()} />
                    },
                } }
                <footer class="sidebar-foot">
                    <span>{ match total { Some(1) => "1 note".to_string(), Some(n) => format!("{n} notes"), None => String::new() } }</span>
                    <button class="link" data-testid="open-your-data" onclick={{
                        let data_open = data_open.clone();
                        move |_| data_open.set(true)
                    }}>{ "Your data" }</button>
                    <button class="link" onclick={{
                        let password_open = password_open.clone();
                        move |_| password_open.set(true)
                    }}>{ "Change password" }</button>
                    <button class="link" onclick={{
                        let devices_open = devices_open.clone();
                        move |_| devices_open.set(true)
                    }}>{ "Devices" }</button>
                    <InstallButton />
                    <span class="build" data-testid="build-id">{ format!("build {}", pwa::build_id().unwrap_or_else(|| "dev".into())) }</span>
                </footer>
            </aside>
            <div ref={editor_pane} class="editor-pane">
                { match *pane {
                    Pane::Note { id, new } => html! {
                        <Editor key={id.to_string()} vault={props.vault.clone()} {id} focus_title={new} {on_close} />
                    },
                    Pane::Creating => html! { <p class="muted pad" data-testid="creating-note">{ "Creating note…" }</p> },
                    Pane::Empty => html! {
                        <div class="placeholder">
                            <h2>{ "Select a note, or start a new one" }</h2>
                            <p class="muted">{ "Everything you type is saved as you go, as encrypted versions you can go back to." }</p>
                        </div>
                    },
                } }
            </div>
            if *data_open {
                <YourData vault={Some(props.vault.clone())} on_close={{
                    let data_open = data_open.clone();
                    Callback::from(move |()| data_open.set(false))
                }} />
            }
            if *devices_open {
                <Devices vault={props.vault.clone()} name={props.name.clone()} on_close={{
                    let devices_open = devices_open.clone();
                    Callback::from(move |()| devices_open.set(false))
                }} />
            }
            if *password_open {
                <ChangePassword vault={props.vault.id()} name={props.name.clone()} on_close={{
                    let password_open = password_open.clone();
                    Callback::from(move |()| password_open.set(false))
                }} />
            }
            if *account_open {
                <AccountPanel vault={Some(props.vault.id())} on_close={{
                    let account_open = account_open.clone();
                    Callback::from(move |()| account_open.set(false))
                }} />
            }
        </main>
    }
}
