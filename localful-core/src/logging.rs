//! Where the browser crates' `tracing` events go: the browser's console.
//!
//! Localful's crates report what they could not do but carried on from (a change event that
//! failed to apply, a kept key that no longer unwraps, a message they do not understand) as
//! `tracing` events: `warn` for what lost work or will be retried, `debug` for what is expected
//! now and then. A program decides where events go; in the browser, [`log_to_console`] sends them
//! to the console (`console.warn` for warnings, and so on), each with its target and fields. The
//! sync worker calls it at start; an app calls it once in its `main`, or installs any other
//! subscriber instead.

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
pub fn log_to_console(level: Level) {
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false) // the console does not render ANSI colours everywhere
        .without_time() // std::time is not available in the browser
        .with_max_level(level)
        .with_writer(tracing_web::MakeWebConsoleWriter::new())
        .finish();
    // Err: a subscriber is already set, which is what the caller wanted either way.
    let _ = tracing::subscriber::set_global_default(subscriber);
}
