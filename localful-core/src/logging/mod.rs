//! Where the browser crates' `tracing` events go: the browser's console.
//!
//! Localful's crates report what they could not do but carried on from (a change event that
//! failed to apply, a kept key that no longer unwraps, a message they do not understand) as
//! `tracing` events: `warn` for what lost work or will be retried, `debug` for what is expected
//! now and then. A program decides where events go; in the browser, `log_to_console` (built for
//! wasm32) sends them to the console (`console.warn` for warnings, and so on), each with its
//! target and fields. The sync worker calls it at start; an app calls it once in its `main`, or
//! installs any other subscriber instead.
//!
//! The subscriber is our own ([`line()`]: one line per event, no spans, no timestamps) rather than
//! `tracing-subscriber`'s `fmt` with `tracing-web`: their span registry and formatter options
//! took 27 KB of the sync worker's shipped wasm (12 KB gzipped), which every page downloads
//! before it starts (`benches/README.md`, "Wasm size").

mod line;

pub use line::{LineSubscriber, line};
pub use tracing::Level;

/// Sends `tracing` events at `level` and above to the browser's console. Does nothing if this
/// context already has a subscriber (called twice, or the app installed its own).
///
/// # Example
/// ```no_run
/// use localful_core::logging::{log_to_console, Level};
/// log_to_console(Level::INFO);
/// tracing::warn!(vault = "…", "a change could not be applied; it is retried on the next sync");
/// ```
#[cfg(target_arch = "wasm32")]
pub fn log_to_console(level: Level) {
    let subscriber = line::LineSubscriber::new(level, |level, text| {
        let text = wasm_bindgen::JsValue::from_str(text);
        match level {
            Level::ERROR => web_sys::console::error_1(&text),
            Level::WARN => web_sys::console::warn_1(&text),
            Level::INFO => web_sys::console::info_1(&text),
            // `console.trace` would add a stack trace to every line.
            _ => web_sys::console::debug_1(&text),
        }
    });
    // Err: a subscriber is already set, which is what the caller wanted either way.
    let _ = tracing::subscriber::set_global_default(subscriber);
}
