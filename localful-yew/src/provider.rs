//! `LocalfulProvider`: puts the Localful context in reach of every hook below it.

use crate::context::{LocalfulConfig, LocalfulContext};
use yew::prelude::*;

/// Properties of [`LocalfulProvider`].
#[derive(Debug, Properties, PartialEq)]
pub struct LocalfulProviderProps {
    /// The app's configuration.
    pub config: LocalfulConfig,
    /// The app.
    #[prop_or_default]
    pub children: Html,
}

/// Provides the Localful context to its children.
#[function_component]
pub fn LocalfulProvider(props: &LocalfulProviderProps) -> Html {
    let context = use_memo(props.config.clone(), |config| LocalfulContext::new(config.clone()));
    html! {
        <ContextProvider<LocalfulContext> context={(*context).clone()}>
            { props.children.clone() }
        </ContextProvider<LocalfulContext>>
    }
}
