//! The page side of the service worker, which `demo/static/pwa.js` registers: it exposes
//! `window.localfulPwa` and fires `localful:update-ready` when a new build is installed.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The name of the window event fired when an update is ready.
pub(crate) const UPDATE_READY_EVENT: &str = "localful:update-ready";

fn bridge() -> Option<JsValue> {
    let window = web_sys::window()?;
    Reflect::get(&window, &"localfulPwa".into()).ok().filter(JsValue::is_object)
}

/// Whether a new build is installed and waiting.
pub(crate) fn update_ready() -> bool {
    bridge().and_then(|b| Reflect::get(&b, &"updateReady".into()).ok()).is_some_and(|v| v.is_truthy())
}

/// Activates the waiting build and reloads the page (the service worker swaps the assets).
pub(crate) fn apply_update() {
    let apply = bridge()
        .and_then(|b| Reflect::get(&b, &"applyUpdate".into()).ok())
        .and_then(|f| f.dyn_into::<Function>().ok());
    match apply {
        Some(apply) => {
            let _ = apply.call0(&JsValue::NULL);
        }
        None => {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        }
    }
}

/// This page's build id (written into index.html at build time by `demo/build/post-build.sh`).
pub(crate) fn build_id() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let meta = document.query_selector("meta[name=localful-build]").ok()??;
    meta.get_attribute("content").filter(|id| !id.is_empty())
}
