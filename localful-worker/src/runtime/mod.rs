//! The platform under the client: spawning, sleeping, the clock and a random seed.
//! Natively this is tokio; in the browser, the JavaScript event loop. One file per platform.

#[cfg(not(target_arch = "wasm32"))]
#[path = "native.rs"]
mod platform;
#[cfg(target_arch = "wasm32")]
#[path = "wasm.rs"]
mod platform;

pub use platform::SystemClock;
pub(crate) use platform::{network_available, page_origin, random_seed, sleep, spawn};
