use crate::{live::Live, reactive::use_reactive, session::OpenVault, watch::Watch};
use std::future::Future;
use yew::prelude::*;

/// Runs `read` — any async function of an unlocked vault and `deps` — and re-runs it when a change
/// event that `watch` declares fires (a write here, in another tab, or from the sync worker), when
/// `vault`, `watch` or `deps` change, or when the handle's [`Live::refresh`] asks. It is the engine
/// of [`use_query`](crate::use_query), [`use_get`](crate::use_get) and
/// [`use_versions`](crate::use_versions), for reads of your own: counts, aggregates, joins.
///
/// As for those hooks: a matching event re-runs it at once, and the rest of a burst once more when
/// the burst is over ([`LocalfulConfig::debounce_ms`](crate::LocalfulConfig::debounce_ms)); a slower older run never
/// overwrites a newer result; unmounting stops everything and discards results still in flight.
///
/// # Example
/// The number of notes with a tag, kept current:
/// ```no_run
/// # use localful_core::{Collection, ExposedField, Field, Op, Query};
/// # use localful_yew::{use_live, AsyncState, OpenVault, Watch};
/// # use yew::prelude::*;
/// # #[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq)] struct Note { tags: Vec<String> }
/// # impl Collection for Note {
/// #     const NAME: &'static str = "notes";
/// #     fn exposed_fields() -> Vec<ExposedField> { vec![ExposedField::indexed("tags")] }
/// # }
/// #[derive(Properties, PartialEq)]
/// struct Props { vault: OpenVault, tag: String }
///
/// #[function_component]
/// fn TagCount(props: &Props) -> Html {
///     let count = use_live(&props.vault, Watch::new().collection::<Note>(), props.tag.clone(), |vault, tag| async move {
///         let query = Query::new().filter(Field::data("tags"), Op::Includes, tag.as_str());
///         Ok(vault.query::<Note>(&query).await?.entries.len())
///     });
///     match &*count {
///         AsyncState::Ready(n) => html! { <span>{ format!("{n} notes tagged {}", props.tag) }</span> },
///         AsyncState::Failed(err) => html! { <span class="error">{ err.to_string() }</span> },
///         AsyncState::Loading => html! {},
///     }
/// }
/// ```
///
/// # Caution
/// `read` is taken from the render in which `vault`, `watch` or `deps` last changed: pass
/// everything it depends on through `deps` (compared with `PartialEq`), not by capture, or it keeps
/// reading with stale values. A read that follows nothing it depends on (a collection missing from
/// `watch`) is not re-run when that changes.
#[hook]
pub fn use_live<D, T, F, Fut>(vault: &OpenVault, watch: Watch, deps: D, read: F) -> Live<T>
where
    D: PartialEq + Clone + 'static,
    T: 'static,
    F: Fn(OpenVault, D) -> Fut + 'static,
    Fut: Future<Output = Result<T, localful_core::Error>> + 'static,
{
    use_reactive(
        (vault.clone(), watch, deps),
        |event, (vault, watch, _)| watch.matches(event, vault.id()),
        move |(vault, _, deps)| Box::pin(read(vault.clone(), deps.clone())),
    )
}
