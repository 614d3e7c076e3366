use crate::{live::Live, reactive::use_reactive, session::OpenVault};
use localful_core::{Collection, ItemId, VersionMeta};
use yew::prelude::*;

/// An item's history (every version's metadata, newest first as the store lists it), re-read when
/// the item changes. Read a version with [`localful_core::VaultHandle::read_version`]; restore one
/// with [`crate::UseMutationHandle::restore`].
///
/// # Example
/// ```no_run
/// # use localful_core::{Collection, ItemId};
/// # use localful_yew::{use_versions, OpenVault};
/// # use yew::prelude::*;
/// # #[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// #[derive(Properties, PartialEq)]
/// struct Props { vault: OpenVault, id: ItemId }
///
/// #[function_component]
/// fn History(props: &Props) -> Html {
///     let versions = use_versions::<Note>(&props.vault, props.id);
///     let count = versions.ready().map_or(0, Vec::len);
///     html! { <p>{ format!("{count} versions") }</p> }
/// }
/// ```
#[hook]
pub fn use_versions<T>(vault: &OpenVault, id: ItemId) -> Live<Vec<VersionMeta>>
where
    T: Collection,
{
    use_reactive(
        (vault.clone(), id),
        |event, (vault, id)| event.touches_item(vault.id(), *id),
        |(vault, id)| {
            let (vault, id) = (vault.clone(), *id);
            Box::pin(async move { vault.history::<T>(id).await })
        },
    )
}
