//! The implementations of [`Backend`](super::Backend); which one is the default is chosen in
//! [`crypto`](super) by platform.

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(any(not(target_arch = "wasm32"), feature = "crypto-bench"))]
mod ring;
mod rustcrypto;
#[cfg(target_arch = "wasm32")]
mod webcrypto;

#[cfg(target_arch = "wasm32")]
pub use browser::{Browser, BrowserKey, PARALLEL_BATCH, SMALL_MESSAGE};
#[cfg(not(target_arch = "wasm32"))]
pub use native::Native;
#[cfg(any(not(target_arch = "wasm32"), feature = "crypto-bench"))]
pub use ring::{Ring, RingKey};
pub use rustcrypto::{RustCrypto, RustCryptoKey};
#[cfg(target_arch = "wasm32")]
pub use webcrypto::WebCrypto;
