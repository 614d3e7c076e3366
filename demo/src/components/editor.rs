//! The note editor: every pause in typing (500 ms) saves a new version.

use super::{input_value, textarea_value, History};
use crate::drafts::Drafts;
use crate::format;
use crate::model::{parse_tags, Note};
use gloo::timers::callback::Timeout;
use localful_core::{ItemId, VersionMeta};
use localful_yew::{use_get, use_mutation, AsyncState, OpenVault};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How long typing must pause before a version is saved.
const SAVE_DELAY_MS: u32 = 500;

/// Properties of [`Editor`].
#[derive(Properties, PartialEq)]
pub(crate) struct EditorProps {
    /// The unlocked vault.
    pub(crate) vault: OpenVault,
    /// The note (the editor is keyed by it: a new note mounts a new editor).
    pub(crate) id: ItemId,
    /// Puts the cursor in the title once the note is open (a note just created).
    #[prop_or_default]
    pub(crate) focus_title: bool,
    /// Closes the editor (back to the list on a phone; after a delete).
    pub(crate) on_close: Callback<()>,
}

/// The text being edited: the tag field is kept as typed (e.g. a trailing comma).
#[derive(Clone, PartialEq, Default, Debug)]
struct Draft {
    title: String,
    body: String,
    tags: String,
}

impl Draft {
    fn of(note: &Note) -> Self {
        Self { title: note.title.clone(), body: note.body.clone(), tags: note.tags.join(", ") }
    }

    fn note(&self) -> Note {
        Note { title: self.title.clone(), body: self.body.clone(), tags: parse_tags(&self.tags) }
    }
}

#[derive(Clone, PartialEq, Debug)]
enum SaveStatus {
    Saved,
    Unsaved,
    Saving,
    Failed(String),
}

/// Title, tags and body of one note, saved as you type. The stored note replaces the text only
/// when nothing typed here is unsaved, so a save (or another tab's edit, or a restore) never
/// overwrites typing.
#[function_component]
pub(crate) fn Editor(props: &EditorProps) -> Html {
    let drafts = use_context::<Drafts>().unwrap_or_default();
    let entry = use_get::<Note>(&props.vault, vec![props.id]);
    let notes = use_mutation::<Note>(&props.vault);
    let draft = use_state(|| None::<Draft>);
    let status = use_state(|| SaveStatus::Saved);
    let timer = use_mut_ref(|| None::<Timeout>);
    let history_open = use_state(|| false);
    let confirm_delete = use_state(|| false);
    let title_ref = use_node_ref();
    let layout_ref = use_node_ref();
    let id = props.id;

    let current = entry.ready().and_then(|found| found.first()).map(|e| (e.version.clone(), e.data.clone()));
    // Adopt the stored note (first load, a restore, another tab's edit) unless typing is unsaved
    // or it is a late result from before this editor's last save.
    {
        let (draft, drafts) = (draft.clone(), drafts.clone());
        use_effect_with(current.clone(), move |current: &Option<(VersionMeta, Note)>| {
            if let Some((version, note)) = current
                && !drafts.is_dirty(id)
                && !drafts.is_superseded(id, version)
                && draft.as_ref().map(Draft::note).as_ref() != Some(note)
            {
                draft.set(Some(Draft::of(note)));
            }
        });
    }
    // A new note: the title takes the focus as soon as it is shown.
    {
        let (title_ref, focus) = (title_ref.clone(), props.focus_title);
        use_effect_with(draft.is_some(), move |shown: &bool| {
            if focus && *shown && let Some(input) = title_ref.cast::<web_sys::HtmlInputElement>() {
                // Focus can only fail on a detached element; the user then clicks the field.
                let _ = input.focus();
            }
        });
    }
    // Shown again after `close_at_once` (the switch ended back on this note): editable again.
    {
        let layout_ref = layout_ref.clone();
        use_effect(move || set_read_only(&layout_ref, false));
    }
    // Leaving the note (another note, lock, back): write what is pending now.
    {
        let (drafts, timer) = (drafts.clone(), timer.clone());
        use_effect_with((), move |()| {
            move || {
                timer.borrow_mut().take();
                wasm_bindgen_futures::spawn_local(async move { drafts.flush().await });
            }
        });
    }

    let edit = {
        let (notes, drafts, draft, status, timer) =
            (notes.clone(), drafts.clone(), draft.clone(), status.clone(), timer.clone());
        Callback::from(move |next: Draft| {
            drafts.set(notes.clone(), id, next.note());
            draft.set(Some(next));
            status.set(SaveStatus::Unsaved);
            let (drafts, status) = (drafts.clone(), status.clone());
            let save = Timeout::new(SAVE_DELAY_MS, move || {
                wasm_bindgen_futures::spawn_local(async move {
                    status.set(SaveStatus::Saving);
                    drafts.flush().await;
                    status.set(match drafts.error() {
                        Some(err) => SaveStatus::Failed(err),
                        None => SaveStatus::Saved,
                    });
                });
            });
            *timer.borrow_mut() = Some(save);
        })
    };

    let Some(text) = (*draft).clone() else {
        return match &*entry {
            AsyncState::Ready(found) if found.is_empty() => {
                let on_close = props.on_close.clone();
                html! {
                    <div class="placeholder">
                        <h2>{ "This note was deleted" }</h2>
                        <button class="secondary" onclick={move |_| on_close.emit(())}>{ "Back to notes" }</button>
                    </div>
                }
            }
            AsyncState::Failed(err) => html! { <p class="error pad" role="alert">{ format!("The note could not be read: {err}") }</p> },
            _ => html! { <p class="muted pad">{ "Opening note…" }</p> },
        };
    };

    let on_title = {
        let (edit, text) = (edit.clone(), text.clone());
        Callback::from(move |e: InputEvent| edit.emit(Draft { title: input_value(&e), ..text.clone() }))
    };
    let on_tags = {
        let (edit, text) = (edit.clone(), text.clone());
        Callback::from(move |e: InputEvent| edit.emit(Draft { tags: input_value(&e), ..text.clone() }))
    };
    let on_body = {
        let (edit, text) = (edit.clone(), text.clone());
        Callback::from(move |e: InputEvent| edit.emit(Draft { body: textarea_value(&e), ..text.clone() }))
    };
    let on_back = {
        let on_close = props.on_close.clone();
        move |_| on_close.emit(())
    };
    let toggle_history = {
        let history_open = history_open.clone();
        move |_| history_open.set(!*history_open)
    };
    let on_delete = {
        let (confirm_delete, notes, drafts, on_close) =
            (confirm_delete.clone(), notes.clone(), drafts.clone(), props.on_close.clone());
        move |_| {
            if !*confirm_delete {
                confirm_delete.set(true);
                return;
            }
            drafts.discard(id);
            let (notes, on_close) = (notes.clone(), on_close.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if notes.delete(id).await.is_ok() {
                    on_close.emit(());
                }
            });
        }
    };
    let saved_line = match &*entry {
        AsyncState::Ready(found) => found.first().map(|e| {
            format!("Saved {} on {}", format::when(e.updated_at()), e.version.device_name)
        }),
        _ => None,
    };
    let (status_class, status_text) = match &*status {
        SaveStatus::Saved => ("saved", "Saved".to_string()),
        SaveStatus::Unsaved => ("unsaved", "Editing…".to_string()),
        SaveStatus::Saving => ("saving", "Saving…".to_string()),
        SaveStatus::Failed(err) => ("failed", format!("Not saved: {err}")),
    };

    html! {
        <div ref={layout_ref} class={classes!("editor-layout", history_open.then_some("with-history"))}>
            <article class="editor">
                <header class="editor-head">
                    <button class="ghost back" onclick={on_back} aria-label="Back to notes">{ "← Notes" }</button>
                    <span class={classes!("save-status", status_class)} data-testid="save-status" role="status">{ status_text }</span>
                    <span class="spacer"></span>
                    <button class={classes!("ghost", history_open.then_some("active"))} onclick={toggle_history}
                        aria-pressed={history_open.to_string()}>{ "History" }</button>
                    <button class={classes!("ghost", "danger", confirm_delete.then_some("confirm"))} onclick={on_delete}>
                        { if *confirm_delete { "Really delete?" } else { "Delete" } }
                    </button>
                </header>
                <input ref={title_ref} class="title-input" placeholder="Title" aria-label="Title" value={text.title.clone()} oninput={on_title} />
                <div class="tags-field">
                    <label for="note-tags">{ "Tags" }</label>
                    <input id="note-tags" class="tags-input" placeholder="separated by commas"
                        value={text.tags.clone()} oninput={on_tags} />
                </div>
                <textarea class="body-input" placeholder="Start writing…" aria-label="Note"
                    value={text.body.clone()} oninput={on_body} />
                if let Some(line) = saved_line { <p class="saved-line muted">{ line }</p> }
            </article>
            if *history_open {
                <History vault={props.vault.clone()} {id} on_close={Callback::from({
                    let history_open = history_open.clone();
                    move |()| history_open.set(false)
                })} />
            }
        </div>
    }
}

/// Closes the editor shown in `pane` (if any) for typing at once, before the render that removes
/// it: its fields become read-only. A switch to another note (a state change) is rendered when
/// Yew's scheduler next runs, and the scheduler yields to the browser (a `setTimeout`) once a run
/// has taken 16 ms: until it resumes, the old editor stays on screen, and what is typed in it would
/// be saved to the old note (the new note's title saved over the open note's, the new note left
/// without it). Read-only, it takes no typing; the next field that does is the new note's. The
/// render removes the old editor, or, if the switch ends back on the same note, the editor makes
/// its fields editable again.
pub(crate) fn close_at_once(pane: &NodeRef) {
    set_read_only(pane, true);
}

/// Makes the text fields under `root` read-only or editable.
fn set_read_only(root: &NodeRef, read_only: bool) {
    let Some(fields) = root.cast::<web_sys::Element>().and_then(|root| root.query_selector_all("input, textarea").ok()) else {
        return;
    };
    for field in (0..fields.length()).filter_map(|i| fields.item(i)).filter_map(|node| node.dyn_into::<web_sys::Element>().ok()) {
        // Only fails for an invalid attribute name; "readonly" is valid.
        let _ = if read_only { field.set_attribute("readonly", "") } else { field.remove_attribute("readonly") };
    }
}
