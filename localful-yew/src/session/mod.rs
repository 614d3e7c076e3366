//! The vaults unlocked in this context, the key handoff that lets one unlock serve every tab, and
//! the keys kept on this device.

#[cfg(target_arch = "wasm32")]
#[path = "keys_wasm.rs"]
mod keys;
#[cfg(not(target_arch = "wasm32"))]
#[path = "keys_native.rs"]
mod keys;
mod change_password;
mod open_vault;
mod sessions;

pub use change_password::{ChangePasswordError, MIN_PASSWORD_CHARS};
pub use open_vault::OpenVault;
pub use sessions::VaultSessions;

