//! Change events (SPEC: "Events and reactivity"): a typed [`ChangeEvent`] for every write, on a local
//! [`EventBus`] and on a `BroadcastChannel` so every tab and the worker see every change.

mod bus;
mod event;
mod listeners;

#[cfg(not(target_arch = "wasm32"))]
#[path = "channel_native.rs"]
mod channel;
#[cfg(target_arch = "wasm32")]
#[path = "channel_wasm.rs"]
mod channel;

pub use bus::{EventBus, EventStream, Subscription};
pub use event::{ChangeEvent, ItemAction, ItemsChanged, Origin, VaultAction};
