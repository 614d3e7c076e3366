use crate::{live::Live, reactive::use_reactive, session::OpenVault};
use localful_core::{Collection, Query, QueryResult};
use yew::prelude::*;

/// Runs a typed query over collection `T` of an unlocked vault, and re-runs it when a change event
/// touches that vault and collection — a write here, in another tab, or from the sync worker. An
/// event re-runs it at once, and the rest of a burst once more when the burst is over; writes to other collections do not re-run it.
///
/// Returns a read-only [`Live`] handle: match on `&*handle`; [`Live::refresh`] re-runs the query
/// now, [`Live::is_refreshing`] says a re-run is in flight while the older page is shown.
///
/// The page ([`QueryResult`]) has the exact number of matches in `total` when the query asks for
/// it ([`Query::with_total`](localful_core::Query::with_total)), and in `next` the cursor of the
/// following page: keep it in state and pass it to [`Query::after`](localful_core::Query::after).
/// A cursor page stays put while items are added or deleted before it (unlike an offset).
///
/// ```no_run
/// # use localful_core::{Collection, Cursor, Direction, Field, Query};
/// # use localful_yew::{use_query, OpenVault};
/// # use yew::prelude::*;
/// # #[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// #[derive(Properties, PartialEq)]
/// struct Props { vault: OpenVault }
///
/// #[function_component]
/// fn Pages(props: &Props) -> Html {
///     let cursor = use_state(|| None::<Cursor>);
///     let query = Query::new()
///         .order_by(Field::data("title"), Direction::Ascending)
///         .limit(20)
///         .with_total()
///         .after((*cursor).clone());
///     let notes = use_query::<Note>(&props.vault, query);
///     let Some(page) = notes.ready() else { return html! {} };
///     let next = page.next.clone();
///     let onclick = move |_| cursor.set(next.clone());
///     html! {
///         <>
///             <p>{ format!("{} notes", page.total.unwrap_or_default()) }</p>
///             <ul>{ for page.entries.iter().map(|e| html! { <li>{ &e.data.title }</li> }) }</ul>
///             <button {onclick} disabled={page.next.is_none()}>{ "Next" }</button>
///         </>
///     }
/// }
/// ```
///
/// # Example
/// ```no_run
/// # use localful_core::{Collection, Field, Op, Query};
/// # use localful_yew::{use_query, AsyncState, OpenVault};
/// # use yew::prelude::*;
/// # #[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// #[derive(Properties, PartialEq)]
/// struct Props { vault: OpenVault, search: String }
///
/// #[function_component]
/// fn Search(props: &Props) -> Html {
///     let query = Query::new().filter(Field::data("title"), Op::Like, props.search.as_str()).limit(20);
///     let notes = use_query::<Note>(&props.vault, query);
///     let refresh = {
///         let notes = notes.clone();
///         move |_| notes.refresh()
///     };
///     let list = match &*notes {
///         AsyncState::Ready(page) => html! { <p>{ format!("{} notes", page.entries.len()) }</p> },
///         AsyncState::Failed(err) => html! { <p>{ err.to_string() }</p> },
///         AsyncState::Loading => html! {},
///     };
///     html! {
///         <>
///             <button onclick={refresh} disabled={notes.is_refreshing()}>{ "Refresh" }</button>
///             { list }
///         </>
///     }
/// }
/// ```
///
/// # Caution
/// The query is a dependency: build it from props or state, not from something that changes on
/// every render (e.g. the current time), or it re-runs on every render.
#[hook]
pub fn use_query<T>(vault: &OpenVault, query: Query) -> Live<QueryResult<T>>
where
    T: Collection,
{
    use_reactive(
        (vault.clone(), query),
        |event, (vault, _)| event.touches(vault.id(), T::NAME),
        |(vault, query)| {
            let (vault, query) = (vault.clone(), query.clone());
            Box::pin(async move { vault.query::<T>(&query).await })
        },
    )
}
