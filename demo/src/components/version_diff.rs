//! What changed between an old version's text and the current one, word by word.

use crate::diff::{self, Kind};
use yew::prelude::*;

/// Properties of [`VersionDiff`].
#[derive(Properties, PartialEq)]
pub(crate) struct VersionDiffProps {
    /// The old version's text.
    pub(crate) old: String,
    /// The current text.
    pub(crate) current: String,
}

/// The current text with the words removed since the old version struck through and the words
/// added underlined; screen readers hear "removed" and "added" before each change.
#[function_component]
pub(crate) fn VersionDiff(props: &VersionDiffProps) -> Html {
    let runs = use_memo((props.old.clone(), props.current.clone()), |(old, current)| diff::words(old, current));
    html! {
        <section class="diff" data-testid="version-diff" aria-labelledby="version-diff-title">
            <h3 id="version-diff-title" class="diff-title">{ "Changes from this version to the current text" }</h3>
            if runs.iter().all(|r| r.kind == Kind::Same) {
                <p class="muted">{ "The text is the same as now." }</p>
            } else {
                <p class="diff-body">
                    { for runs.iter().map(|run| match run.kind {
                        Kind::Same => html! { { run.text.clone() } },
                        Kind::Removed => html! { <del><span class="sr-only">{ "removed: " }</span>{ run.text.clone() }</del> },
                        Kind::Added => html! { <ins><span class="sr-only">{ "added: " }</span>{ run.text.clone() }</ins> },
                    }) }
                </p>
            }
        </section>
    }
}
