//! Helpers for rendering components under a provider in the test page.

pub mod tabs;

use localful_yew::{use_localful, LocalfulConfig, LocalfulContext, LocalfulProvider, ManualClock};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A shared render counter.
#[derive(Clone, Default)]
pub struct Counter(Rc<Cell<u32>>);
impl PartialEq for Counter {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
impl Counter {
    pub fn bump(&self) {
        self.0.set(self.0.get() + 1);
    }
    pub fn get(&self) -> u32 {
        self.0.get()
    }
}

/// A fresh app name, so every test has its own IndexedDB databases and channels.
pub fn unique_app(name: &str) -> String {
    format!("test-{name}-{}", localful_core::VaultId::new())
}

thread_local! {
    static CAPTURED: RefCell<Option<LocalfulContext>> = const { RefCell::new(None) };
}

#[derive(Properties, PartialEq)]
pub struct HostProps {
    config: LocalfulConfig,
    child: Html,
}

#[function_component]
fn Capture() -> Html {
    let ctx = use_localful();
    CAPTURED.with(|c| *c.borrow_mut() = Some(ctx));
    html! {}
}

#[function_component]
pub fn Host(props: &HostProps) -> Html {
    html! { <LocalfulProvider config={props.config.clone()}><Capture />{ props.child.clone() }</LocalfulProvider> }
}

fn new_root() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Renders a provider for `config` and returns its context (and the app, to keep it alive).
pub async fn provider(config: LocalfulConfig) -> (LocalfulContext, yew::AppHandle<Host>) {
    CAPTURED.with(|c| c.borrow_mut().take());
    let handle = yew::Renderer::<Host>::with_root_and_props(new_root(), HostProps { config, child: html! {} }).render();
    wait_until(|| CAPTURED.with(|c| c.borrow().is_some())).await;
    let ctx = CAPTURED.with(|c| c.borrow().clone()).expect("captured above");
    (ctx, handle)
}

#[derive(Properties, PartialEq)]
pub struct ChildHostProps {
    ctx: LocalfulContext,
    child: Html,
}

#[function_component]
pub fn ChildHost(props: &ChildHostProps) -> Html {
    html! { <ContextProvider<LocalfulContext> context={props.ctx.clone()}>{ props.child.clone() }</ContextProvider<LocalfulContext>> }
}

/// Renders `child` in its own root under the provider's context.
pub fn mount_child(ctx: &LocalfulContext, child: Html) -> web_sys::Element {
    let (root, handle) = mount_child_handle(ctx, child);
    std::mem::forget(handle);
    root
}

/// Like [`mount_child`], returning the app handle so the test can unmount it.
pub fn mount_child_handle(ctx: &LocalfulContext, child: Html) -> (web_sys::Element, yew::AppHandle<ChildHost>) {
    let root = new_root();
    let props = ChildHostProps { ctx: ctx.clone(), child };
    let handle = yew::Renderer::<ChildHost>::with_root_and_props(root.clone(), props).render();
    (root, handle)
}

/// How long [`wait_until`] waits before failing. It bounds a failure only: a passing wait returns
/// as soon as its condition holds.
const DEADLINE_MS: f64 = 30_000.0;

/// The one polling loop of these tests: checks `condition` every 10 ms (real time, letting
/// IndexedDB, BroadcastChannel and renders progress) until it holds, and fails after
/// [`DEADLINE_MS`].
pub async fn wait_until(mut condition: impl FnMut() -> bool) {
    let deadline = js_sys::Date::now() + DEADLINE_MS;
    while !condition() {
        assert!(js_sys::Date::now() < deadline, "condition not met within {DEADLINE_MS} ms");
        gloo::timers::future::TimeoutFuture::new(10).await;
    }
}

/// Waits until `condition` holds, firing the hooks' due debounce timers on `clock` meanwhile:
/// whenever a timer is pending, the clock moves `step_ms` forward. For waits whose outcome does
/// not depend on how the events are grouped into re-runs.
pub async fn wait_advancing(clock: &ManualClock, step_ms: u64, condition: impl Fn() -> bool) {
    wait_until(|| {
        if clock.pending() > 0 {
            clock.advance(step_ms);
        }
        condition()
    })
    .await;
}

pub fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector).ok().flatten().and_then(|e| e.text_content()).unwrap_or_default()
}

pub fn click(root: &web_sys::Element, selector: &str) {
    let element = root.query_selector(selector).unwrap().unwrap();
    element.dyn_into::<web_sys::HtmlElement>().unwrap().click();
}
