//! Tag chips: filter the list by one tag.

use crate::model::Note;
use std::collections::BTreeMap;
use yew::prelude::*;

/// Properties of [`TagFilter`].
#[derive(Properties, PartialEq)]
pub(crate) struct TagFilterProps {
    /// Every note (their tags make the chips).
    pub(crate) notes: Vec<Note>,
    /// The tag filtered on.
    pub(crate) selected: Option<String>,
    /// Chooses a tag (`None` = all notes).
    pub(crate) on_select: Callback<Option<String>>,
}

/// "All" plus one chip per tag, with counts, most used first.
#[function_component]
pub(crate) fn TagFilter(props: &TagFilterProps) -> Html {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for tag in props.notes.iter().flat_map(|n| n.tags.iter()) {
        *counts.entry(tag.as_str()).or_default() += 1;
    }
    if counts.is_empty() {
        return html! {};
    }
    let mut tags: Vec<(&str, usize)> = counts.into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let all = {
        let on_select = props.on_select.clone();
        move |_| on_select.emit(None)
    };
    html! {
        <nav class="tags" aria-label="Filter by tag">
            <button class={classes!("chip", props.selected.is_none().then_some("active"))} onclick={all}>{ "All" }</button>
            { for tags.into_iter().map(|(tag, count)| {
                let active = props.selected.as_deref() == Some(tag);
                let (on_select, value) = (props.on_select.clone(), tag.to_string());
                let onclick = move |_| on_select.emit(if active { None } else { Some(value.clone()) });
                html! {
                    <button class={classes!("chip", active.then_some("active"))} aria-pressed={active.to_string()} {onclick}>
                        { format!("#{tag}") }<span class="count">{ count }</span>
                    </button>
                }
            }) }
        </nav>
    }
}
