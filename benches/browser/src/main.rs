//! Browser benchmarks of Localful (issue #10, part "browser"): the page the runner
//! (`tests/js/bench/browser.mjs`) drives in headless Chromium.
//!
//! # Why this shape
//! - **A trunk-built bin, not a wasm-bindgen-test.** The cross-tab case needs a real Yew app in a
//!   second tab (the `localful-yew` hooks re-rendering on the `BroadcastChannel` change event),
//!   and two pages of one browser context are what playwright gives; wasm-bindgen-test runs one
//!   page. A bin also builds like the demo (`trunk build --release`), so what is measured is what
//!   an app ships: release profile, LTO, the same wasm-bindgen.
//! - **Async exports, timed from JavaScript.** [`bench::Bench`] exposes our public API (create,
//!   `create_many`, update, query, unlock) to the page, and the runner times each call with
//!   `performance.now()` exactly as it times the plain-JS baselines (`js/*.mjs`) in the same page,
//!   alternating rounds, so both sides pay the same call and timer overheads.
//! - **The same documents.** The runner generates the documents once (`js/docs.mjs`) and hands
//!   them to both sides.
//!
//! With `?view=<vault id>&app=<app>&password=<password>` the page is the cross-tab viewer
//! ([`view`]): a `LocalfulProvider`, `use_vault` (unlocked with the password) and `use_query` over
//! the vault's notes, each rendered as `<li id="n-<item id>">title</li>`.

#[cfg(target_arch = "wasm32")]
mod bench;
#[cfg(target_arch = "wasm32")]
mod model;
#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
fn main() {
    view::mount_if_asked();
}

/// The benchmark only runs in the browser.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("localful-bench-browser is a wasm page: run scripts/bench/browser.sh");
}
