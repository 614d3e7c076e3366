//! # localful-yew
//!
//! Yew bindings for Localful: wrap your app in a [`LocalfulProvider`] and read its configuration
//! (and, as the crate grows, data) through hooks.
//!
//! ```no_run
//! use localful_yew::{LocalfulConfig, LocalfulProvider, use_localful};
//! use yew::prelude::*;
//!
//! #[function_component]
//! fn AppName() -> Html {
//!     let localful = use_localful();
//!     html! { <h1>{ localful.config().app_name.clone() }</h1> }
//! }
//!
//! #[function_component]
//! fn App() -> Html {
//!     let config = LocalfulConfig::new("notes");
//!     html! { <LocalfulProvider {config}><AppName /></LocalfulProvider> }
//! }
//! ```

mod context;
mod provider;

pub use context::{use_localful, LocalfulConfig, LocalfulContext};
pub use provider::{LocalfulProvider, LocalfulProviderProps};

/// The README's code samples, compiled as doctests so they cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
