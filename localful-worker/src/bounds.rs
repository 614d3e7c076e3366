//! The bounds the client's futures and shared values carry, per platform: `Send`/`Sync` natively,
//! where the client runs on tokio's multi-threaded runtime and a clock is shared by the client's
//! task and the engine; none in the browser, where everything runs on one thread and JavaScript
//! values are not `Send`.

use std::future::Future;
use std::pin::Pin;

/// `Send` natively; nothing in wasm.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send> MaybeSend for T {}

/// `Sync` natively; nothing in wasm.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSync: Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Sync> MaybeSync for T {}

/// A boxed future: `Send` natively, where it can move between threads.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// `Send` natively; nothing in wasm.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSend for T {}

/// `Sync` natively; nothing in wasm.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSync {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSync for T {}

/// A boxed future: on the single browser thread, nothing needs `Send`.
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + 'static>>;
