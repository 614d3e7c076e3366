//! Browser platform: `spawn_local`, `setTimeout` timers, `performance.now()`.

use std::future::Future;
use std::time::Duration;

use wasm_bindgen::JsValue;

use crate::bounds::BoxFuture;
use crate::session::{Clock, Instant};

/// Runs a future in the background on the browser's event loop.
pub(crate) fn spawn(future: impl Future<Output = ()> + 'static) {
    wasm_bindgen_futures::spawn_local(future);
}

/// Waits for `duration` (a timer a background tab may delay; deadlines are checked by clock).
/// Only for IO limits: behaviour deadlines go through a [`Clock`].
pub(crate) async fn sleep(duration: Duration) {
    gloo_timers::future::sleep(duration).await;
}

/// The clock of the browser: `performance.now()` of the global scope (window or worker), `Date.now()` where it is missing.
#[derive(Debug, Clone, Default)]
pub struct SystemClock;

impl SystemClock {
    /// The clock (natively: with its origin now).
    pub fn new() -> Self {
        Self
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        let global = js_sys::global();
        let performance = js_sys::Reflect::get(&global, &JsValue::from_str("performance")).ok();
        let now = performance
            .filter(|p| !p.is_undefined())
            .and_then(|p| {
                let f = js_sys::Reflect::get(&p, &JsValue::from_str("now")).ok()?;
                let f: js_sys::Function = wasm_bindgen::JsCast::dyn_into(f).ok()?;
                f.call0(&p).ok()?.as_f64()
            })
            .unwrap_or_else(js_sys::Date::now);
        Instant::from_millis(now.max(0.0) as u64)
    }

    fn sleep_until(&self, deadline: Instant) -> BoxFuture<()> {
        Box::pin(gloo_timers::future::sleep(deadline.saturating_duration_since(self.now())))
    }
}

/// A random seed for the backoff jitter.
pub(crate) fn random_seed() -> u64 {
    getrandom::u64().unwrap_or_else(|_| (js_sys::Math::random() * u64::MAX as f64) as u64)
}

/// Whether the browser says it has a network: `navigator.onLine` of the global scope (page or
/// worker); `true` when it cannot tell.
pub(crate) fn network_available() -> bool {
    let online = || {
        let navigator = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
        js_sys::Reflect::get(&navigator, &JsValue::from_str("onLine")).ok()?.as_bool()
    };
    online().unwrap_or(true)
}

/// The origin of the page (or worker) this runs in: `location.origin` of the global scope.
pub(crate) fn page_origin() -> Option<String> {
    let location = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location")).ok()?;
    js_sys::Reflect::get(&location, &JsValue::from_str("origin")).ok()?.as_string()
}
