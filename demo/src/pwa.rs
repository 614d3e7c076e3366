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

/// The name of the window event fired when the browser's install offer comes or goes.
pub(crate) const INSTALL_CHANGED_EVENT: &str = "localful:install-changed";

/// Whether the browser offers to install the app now (installable, not installed yet).
pub(crate) fn can_install() -> bool {
    bridge().and_then(|b| Reflect::get(&b, &"canInstall".into()).ok()).is_some_and(|v| v.is_truthy())
}

/// Shows the browser's install dialog (the outcome comes as `localful:install-changed` or the
/// `appinstalled` event; nothing happens when there is no offer).
pub(crate) fn install() {
    let install = bridge()
        .and_then(|b| Reflect::get(&b, &"install".into()).ok())
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(install) = install {
        let _ = install.call0(&JsValue::NULL);
    }
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
