use crate::{live::Live, reactive::use_reactive, session::OpenVault};
use localful_core::{Collection, Entry, ItemId};
use yew::prelude::*;

/// Reads items `ids` of collection `T` (missing and deleted ones are left out), and re-reads when
/// an event names one of them.
///
/// # Example
/// ```no_run
/// # use localful_core::{Collection, ItemId};
/// # use localful_yew::{use_get, AsyncState, OpenVault};
/// # use yew::prelude::*;
/// # #[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// #[derive(Properties, PartialEq)]
/// struct Props { vault: OpenVault, id: ItemId }
///
/// #[function_component]
/// fn Title(props: &Props) -> Html {
///     let note = use_get::<Note>(&props.vault, vec![props.id]);
///     match note.ready().and_then(|found| found.first()) {
///         Some(entry) => html! { <h2>{ &entry.data.title }</h2> },
///         None => html! {},
///     }
/// }
/// ```
#[hook]
pub fn use_get<T>(vault: &OpenVault, ids: Vec<ItemId>) -> Live<Vec<Entry<T>>>
where
    T: Collection,
{
    use_reactive(
        (vault.clone(), ids),
        |event, (vault, ids)| ids.iter().any(|id| event.touches_item(vault.id(), *id)),
        |(vault, ids)| {
            let (vault, ids) = (vault.clone(), ids.clone());
            Box::pin(async move { vault.get_many::<T>(&ids).await })
        },
    )
}
