//! Small per-device preferences kept in `localStorage` (never note data: that stays encrypted).

use gloo::storage::{LocalStorage, Storage};
use localful_core::VaultId;

const DEVICE_NAME: &str = "localful-notes:device-name";
const LAST_VAULT: &str = "localful-notes:last-vault";

/// The name this device was given during onboarding.
pub(crate) fn device_name() -> Option<String> {
    LocalStorage::get::<String>(DEVICE_NAME).ok().filter(|name| !name.trim().is_empty())
}

/// Remembers the device name.
pub(crate) fn set_device_name(name: &str) {
    // Private browsing may refuse storage: the name then lasts for this session only.
    let _ = LocalStorage::set(DEVICE_NAME, name);
}

/// The vault opened last, to offer its unlock screen first.
pub(crate) fn last_vault() -> Option<VaultId> {
    LocalStorage::get::<String>(LAST_VAULT).ok().and_then(|id| id.parse().ok())
}

/// Remembers (or forgets) the vault opened last.
pub(crate) fn set_last_vault(id: Option<VaultId>) {
    match id {
        Some(id) => {
            let _ = LocalStorage::set(LAST_VAULT, id.to_string());
        }
        None => LocalStorage::delete(LAST_VAULT),
    }
}

const SERVER_URL: &str = "localful-notes:server-url";

/// The sync server chosen in the account panel (`None`: local only).
pub(crate) fn server_url() -> Option<String> {
    LocalStorage::get::<String>(SERVER_URL).ok().filter(|url| !url.trim().is_empty())
}

/// Remembers (or forgets) the sync server.
pub(crate) fn set_server_url(url: Option<&str>) {
    match url {
        Some(url) => {
            let _ = LocalStorage::set(SERVER_URL, url);
        }
        None => LocalStorage::delete(SERVER_URL),
    }
}

/// Forgets every preference of this app on this device (device name, last vault, server): after
/// the device's data is removed, the app starts as on a new device.
pub(crate) fn clear_all() {
    for key in [DEVICE_NAME, LAST_VAULT, SERVER_URL] {
        LocalStorage::delete(key);
    }
}
