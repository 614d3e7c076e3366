//! The vaults unlocked in this context, and the key handoff that lets one unlock serve every tab.

#[cfg(target_arch = "wasm32")]
#[path = "handoff_wasm.rs"]
mod handoff;
#[cfg(not(target_arch = "wasm32"))]
#[path = "handoff_native.rs"]
mod handoff;
mod open_vault;
mod sessions;

pub use open_vault::OpenVault;
pub use sessions::VaultSessions;

/// An unlocked vault as hooks take it (see [`OpenVault`]).
pub type Vault = OpenVault;
