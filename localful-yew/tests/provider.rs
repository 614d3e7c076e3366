//! Renders real components in headless Chromium.
#![cfg(target_arch = "wasm32")]

use localful_yew::{use_localful, LocalfulConfig, LocalfulProvider};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[function_component]
fn ShowName() -> Html {
    let ctx = use_localful();
    html! { <p id="name">{ ctx.config().app_name.clone() }</p> }
}

#[function_component]
fn App() -> Html {
    html! { <LocalfulProvider config={LocalfulConfig::new("notes-test")}><ShowName /></LocalfulProvider> }
}

#[wasm_bindgen_test]
async fn provider_reaches_hooks_below_it() {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root).render();
    gloo::timers::future::TimeoutFuture::new(0).await;
    let text = document.get_element_by_id("name").map(|e| e.text_content().unwrap_or_default());
    assert_eq!(text.as_deref(), Some("notes-test"));
}
