//! Forgetting this device: signing out of the sync server and deleting everything the app keeps
//! in this browser, for a user who leaves a shared or sold computer.

use crate::context::LocalfulContext;
use localful_core::Error;
use localful_worker::tab_protocol::{AuthState, TabMessage};

impl LocalfulContext {
    /// Signs this browser out of the sync server (when signed in) and deletes this app's local
    /// data: every vault's notes and history (also changes never sent to the server), the
    /// vault list, the keys kept for "stay unlocked", and the app's `localStorage` entries
    /// (`localful:{app}:…`: the refresh token, the list of known vaults). Every vault is locked
    /// first, in every tab. Reload the page afterwards: the app starts as on a new device.
    ///
    /// The server's copy of synced vaults stays: signing in again downloads them. A failed
    /// sign-out (server unreachable) does not stop the wipe; the session then ends on the server
    /// when its refresh token expires.
    ///
    /// # Errors
    /// A store or key-store error while deleting; what was deleted before it stays deleted, and
    /// calling again finishes the job.
    pub async fn forget_this_device(&self) -> Result<(), Error> {
        if matches!(self.worker.auth(), AuthState::LoggedIn { .. }) {
            if let Err(error) = self.worker.request(|request| TabMessage::Logout { request }).await {
                tracing::warn!(error = %localful_worker::explain(&error), "sign-out before wiping failed; wiping anyway");
            }
        }
        for vault in self.database.list_vaults().await? {
            self.sessions.lock(vault.id);
        }
        self.database.store().destroy().await?;
        destroy_key_store(&self.config.app_name).await?;
        clear_local_storage(&format!("localful:{}:", self.config.app_name));
        Ok(())
    }
}

/// Deletes the app's key store (the checks and remembered keys of `crypto::local_keys`, which
/// exists only in the browser).
#[cfg(target_arch = "wasm32")]
async fn destroy_key_store(app: &str) -> Result<(), Error> {
    Ok(localful_core::crypto::local_keys::LocalKeys::new(app).destroy().await?)
}

#[cfg(not(target_arch = "wasm32"))]
async fn destroy_key_store(_app: &str) -> Result<(), Error> {
    Ok(())
}

/// Removes every `localStorage` entry whose key starts with `prefix` (nothing without storage).
#[cfg(target_arch = "wasm32")]
fn clear_local_storage(prefix: &str) {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten()).collect();
    for key in keys.into_iter().filter(|k| k.starts_with(prefix)) {
        let _ = storage.remove_item(&key);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn clear_local_storage(_prefix: &str) {}
