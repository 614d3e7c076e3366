//! The notes of the sidebar.

use crate::format;
use crate::model::Note;
use localful_core::{Entry, ItemId};
use yew::prelude::*;

/// Properties of [`NoteList`].
#[derive(Properties, PartialEq)]
pub(crate) struct NoteListProps {
    /// The notes, in order.
    pub(crate) entries: Vec<Entry<Note>>,
    /// The open note.
    pub(crate) selected: Option<ItemId>,
    /// Opens a note.
    pub(crate) on_select: Callback<ItemId>,
    /// Whether a search or tag filter is active (changes the empty message).
    pub(crate) filtered: bool,
}

/// Title, first line, time and tags of each note.
#[function_component]
pub(crate) fn NoteList(props: &NoteListProps) -> Html {
    if props.entries.is_empty() {
        let text = if props.filtered { "No notes match." } else { "No notes yet. Start one with “New note”." };
        return html! { <p class="muted pad empty" data-testid="empty-list">{ text }</p> };
    }
    html! {
        <ul class="notes" data-testid="note-list">
            { for props.entries.iter().map(|entry| {
                let id = entry.id();
                let on_select = props.on_select.clone();
                let active = props.selected == Some(id);
                html! {
                    <li key={id.to_string()}>
                        <button class={classes!("note", active.then_some("active"))} aria-current={active.then_some("true")}
                            onclick={move |_| on_select.emit(id)}>
                            <span class="note-title">{ entry.data.display_title() }</span>
                            <span class="note-snippet">{ entry.data.snippet() }</span>
                            <span class="note-meta">
                                <time>{ format::when(entry.updated_at()) }</time>
                                { for entry.data.tags.iter().map(|t| html! { <span class="tag">{ format!("#{t}") }</span> }) }
                            </span>
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
