//! A note's versions: preview one, restore it as the newest version.

use super::VersionDiff;
use crate::drafts::Drafts;
use crate::format;
use crate::model::Note;
use localful_core::{ItemId, VersionId};
use localful_yew::{use_mutation, use_versions, AsyncState, MutationOutput, OpenVault};
use yew::prelude::*;

/// Properties of [`History`].
#[derive(Properties, PartialEq)]
pub(crate) struct HistoryProps {
    /// The unlocked vault.
    pub(crate) vault: OpenVault,
    /// The note.
    pub(crate) id: ItemId,
    /// Closes the panel.
    pub(crate) on_close: Callback<()>,
}

/// The version list, newest first, with a preview of the chosen version and a restore button.
#[function_component]
pub(crate) fn History(props: &HistoryProps) -> Html {
    let versions = use_versions::<Note>(&props.vault, props.id);
    let mutation = use_mutation::<Note>(&props.vault);
    let drafts = use_context::<Drafts>().unwrap_or_default();
    let chosen = use_state(|| None::<VersionId>);
    let preview = use_state(|| None::<Result<Note, String>>);
    // The newest version's note, with its id: the preview's changes are shown against it.
    let current = use_state(|| None::<(VersionId, Note)>);
    let id = props.id;

    let mut list: Vec<_> = versions.ready().cloned().unwrap_or_default().into_iter().filter(|v| v.is_live()).collect();
    list.sort_by_key(|v| std::cmp::Reverse(v.lww_key()));
    let newest = list.first().map(|v| v.id);
    {
        let (vault, current) = (props.vault.clone(), current.clone());
        use_effect_with(newest, move |newest: &Option<VersionId>| {
            if let Some(version) = *newest {
                wasm_bindgen_futures::spawn_local(async move {
                    // Unreadable: no changes are shown (the preview itself says why it failed).
                    if let Ok(note) = vault.read_version::<Note>(id, version).await {
                        current.set(Some((version, note)));
                    }
                });
            }
        });
    }

    let choose = {
        let (vault, chosen, preview) = (props.vault.clone(), chosen.clone(), preview.clone());
        Callback::from(move |version: VersionId| {
            chosen.set(Some(version));
            preview.set(None);
            let (vault, preview) = (vault.clone(), preview.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let read = vault.read_version::<Note>(id, version).await.map_err(|e| e.to_string());
                preview.set(Some(read));
            });
        })
    };
    let restore = {
        let (mutation, chosen) = (mutation.clone(), chosen.clone());
        move |_| {
            if let Some(version) = *chosen {
                let (mutation, drafts) = (mutation.clone(), drafts.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    // Typing not yet saved becomes a version first, so the restore is the newest.
                    drafts.flush().await;
                    // Its result shows through the handle (`last`, `error`).
                    mutation.restore(id, version);
                });
            }
        }
    };
    let on_close = props.on_close.clone();

    // A late read of a version that is no longer the newest is not compared with.
    let current_text = current.as_ref().filter(|(v, _)| Some(*v) == newest && *chosen != newest).map(|(_, n)| n.body.clone());
    let chosen_line = list.iter().position(|v| Some(v.id) == *chosen).map(|i| {
        let v = &list[i];
        format!(" of #{} · saved {} on {}", list.len() - i, format::when(v.created_at), v.device_name)
    });

    html! {
        <aside class="history" aria-label="History">
            <header class="history-head">
                <h2>{ "History" }</h2>
                <button class="ghost" aria-label="Close history" onclick={move |_| on_close.emit(())}>{ "✕" }</button>
            </header>
            if !mutation.is_running() && let Some(Ok(MutationOutput::Restored(_))) = mutation.last() {
                <p class="notice" role="status" data-testid="restored">{ "Restored. The old text is now the newest version." }</p>
            }
            if let Some(err) = mutation.error() { <p class="error" role="alert">{ format!("Restore failed: {err}") }</p> }
            { match &*versions {
                AsyncState::Loading => html! { <p class="muted">{ "Loading history…" }</p> },
                AsyncState::Failed(err) => html! { <p class="error">{ err.to_string() }</p> },
                AsyncState::Ready(_) => html! {
                    <ol class="versions" data-testid="versions">
                        // Numbered from the oldest: two edits in the same second differ by their number.
                        { for list.iter().enumerate().map(|(i, v)| {
                            let (choose, version) = (choose.clone(), v.id);
                            let active = *chosen == Some(v.id);
                            html! {
                                <li key={v.id.to_string()}>
                                    <button class={classes!("version", active.then_some("active"))} onclick={move |_| choose.emit(version)}>
                                        <span class="version-number">{ format!("#{}", list.len() - i) }</span>
                                        <span class="version-time">{ format::when(v.created_at) }</span>
                                        <span class="version-device">{ &v.device_name }</span>
                                        if newest == Some(v.id) { <span class="tag">{ "current" }</span> }
                                    </button>
                                </li>
                            }
                        }) }
                    </ol>
                },
            } }
            if chosen.is_some() {
                <section class="preview" data-testid="version-preview">
                    { match &*preview {
                        None => html! { <p class="muted">{ "Reading…" }</p> },
                        Some(Err(err)) => html! { <p class="error">{ err }</p> },
                        Some(Ok(note)) => html! {
                            <>
                                <p class="preview-meta muted">
                                    { "Read-only copy" }
                                    { chosen_line.clone().unwrap_or_default() }
                                </p>
                                <h3>{ note.display_title() }</h3>
                                if !note.tags.is_empty() {
                                    <p class="preview-tags">
                                        { for note.tags.iter().map(|t| html! { <span class="tag">{ format!("#{t}") }</span> }) }
                                    </p>
                                }
                                <pre class="preview-body">{ &note.body }</pre>
                                <button class="primary" onclick={restore} disabled={mutation.is_running() || *chosen == newest}>
                                    { "Restore this version" }
                                </button>
                                if let Some(current) = current_text.clone() {
                                    <VersionDiff old={note.body.clone()} {current} />
                                }
                            </>
                        },
                    } }
                </section>
            }
        </aside>
    }
}
