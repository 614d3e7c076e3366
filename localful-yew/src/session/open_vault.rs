//! An unlocked vault, as hooks take it.

use localful_core::VaultHandle;
use std::ops::Deref;

/// An unlocked vault: a [`VaultHandle`] that compares equal by vault and unlock, so it can be a
/// hook dependency or a component property. Derefs to the handle for direct reads and writes.
#[derive(Debug, Clone)]
pub struct OpenVault {
    pub(crate) handle: VaultHandle,
    /// Bumped on every unlock, so a re-unlocked vault is a new dependency.
    pub(crate) generation: u64,
}

impl PartialEq for OpenVault {
    fn eq(&self, other: &Self) -> bool {
        self.handle.id() == other.handle.id() && self.generation == other.generation
    }
}

impl Deref for OpenVault {
    type Target = VaultHandle;
    fn deref(&self) -> &VaultHandle {
        &self.handle
    }
}
