//! "Your data": where the notes are kept on this device (persisted or not, space used) and, for an
//! open vault, backups.

use super::dialog::{dialog_keys, use_dialog_focus};
use localful_core::backup::{BackupError, ImportReport};
use localful_core::crypto::CryptoError;
use localful_core::storage::{StorageError, StorageStatus};
use localful_yew::{AsyncState, OpenVault, use_storage};
use yew::prelude::*;

/// Properties of [`YourData`].
#[derive(Properties, PartialEq)]
pub(crate) struct YourDataProps {
    /// The open vault (its backups), if any.
    #[prop_or_default]
    pub(crate) vault: Option<OpenVault>,
    /// Closes the panel.
    pub(crate) on_close: Callback<()>,
}

/// What to say about a vault `name` the browser cleared from this device: whether it was
/// `synced`, is `back` (downloaded again), and whether a sync server is set.
pub(crate) fn cleared_words(name: &str, synced: bool, back: bool, server: bool) -> String {
    match (back, synced, server) {
        (true, true, _) => format!(
            "“{name}” was downloaded again from your sync server: unlock it to see your notes."
        ),
        (true, false, _) => format!("“{name}” is back on this device."),
        (false, true, true) => format!(
            "Downloading “{name}” again from your sync server… (log in if you are asked to)"
        ),
        (false, true, false) => {
            format!(
                "“{name}” is still on your sync server: set the server and log in (Account & sync) to download it again."
            )
        }
        (false, false, _) => format!(
            "“{name}” was only on this device, so its notes are gone from this browser. Restore it from a backup if you have one."
        ),
    }
}

/// A byte count for people: "12 KB", "3.4 MB", "1.2 GB" (decimal units, as file managers show).
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    #[allow(clippy::cast_precision_loss)] // a display value: a few digits are enough
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    match unit {
        0 => format!("{n} bytes"),
        _ if value < 10.0 => format!("{value:.1} {}", UNITS[unit]),
        _ => format!("{value:.0} {}", UNITS[unit]),
    }
}

/// What the storage status means, in plain words.
pub(crate) fn storage_words(status: &StorageStatus) -> (&'static str, Option<String>) {
    let kept = if status.persisted {
        "Your notes are kept until you delete them."
    } else {
        "The browser may clear your notes if space runs low: it keeps this site's data only while it has room \
         (and Safari clears sites not used for 7 days). Keep a backup, sync with a server, or ask the browser \
         to keep them."
    };
    let usage = match (status.usage_bytes, status.quota_bytes) {
        (Some(used), Some(quota)) => Some(format!(
            "Using {} of the {} this browser allows this app.",
            bytes(used),
            bytes(quota)
        )),
        (Some(used), None) => Some(format!("Using {}.", bytes(used))),
        _ => None,
    };
    (kept, usage)
}

/// The storage section: persisted or not, space used, and asking the browser to keep the notes.
#[function_component]
fn StorageSection() -> Html {
    let storage = use_storage();
    let body = match storage.status() {
        AsyncState::Loading => {
            html! { <p class="muted">{ "Checking this browser's storage…" }</p> }
        }
        AsyncState::Failed(StorageError::Unsupported) => html! {
            <p class="muted" data-testid="storage-status">
                { "This browser does not say whether it keeps your notes (it needs a secure https page). Keep a backup." }
            </p>
        },
        AsyncState::Failed(err) => html! {
            <p class="error" role="alert" data-testid="storage-status">
                { format!("The browser could not report its storage: {err}. Try again later.") }
            </p>
        },
        AsyncState::Ready(status) => {
            let (kept, usage) = storage_words(status);
            html! {
                <>
                    <p data-testid="storage-status" data-persisted={status.persisted.to_string()}>{ kept }</p>
                    if let Some(usage) = usage { <p class="muted" data-testid="storage-usage">{ usage }</p> }
                    if !status.persisted {
                        <button class="secondary" data-testid="storage-persist" disabled={storage.is_requesting()}
                            onclick={storage.request_persist_callback()}>{ "Keep my notes on this device" }</button>
                    }
                </>
            }
        }
    };
    html! {
        <section aria-labelledby="storage-title">
            <h3 id="storage-title">{ "On this device" }</h3>
            { body }
        </section>
    }
}

/// Why a backup or restore failed, in plain words.
pub(crate) fn backup_error_words(err: &BackupError) -> String {
    match err {
        BackupError::Crypto(CryptoError::WrongPassword) => {
            "Wrong password for this backup: it needs the password the vault had when the backup was made.".into()
        }
        BackupError::Store(localful_core::StoreError::QuotaExceeded(_)) => {
            "This device has no space left: free some disk space, then restore again (what was restored so far is kept).".into()
        }
        other => {
            let words = other.to_string();
            let mut chars = words.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>() + ".").unwrap_or_default()
        }
    }
}

/// What a restore did, in plain words.
pub(crate) fn restored_words(report: &ImportReport) -> String {
    if report.is_noop() {
        return "Nothing new: everything in this backup is already on this device.".into();
    }
    let notes = |n: u64| {
        if n == 1 {
            "1 note".to_string()
        } else {
            format!("{n} notes")
        }
    };
    format!(
        "Restored: {} added, {} updated, {} versions added. Nothing on this device was lost.",
        notes(report.items_added),
        notes(report.items_updated),
        report.versions_added
    )
}

/// A dialog over the app.
#[function_component]
pub(crate) fn YourData(props: &YourDataProps) -> Html {
    let (dialog_ref, close_ref) = (use_node_ref(), use_node_ref());
    use_dialog_focus(close_ref.clone());
    let on_keydown = dialog_keys(dialog_ref.clone(), props.on_close.clone());
    let on_close = props.on_close.clone();
    // Backups work on browser `Blob`s: the section exists in the browser build only.
    #[cfg(target_arch = "wasm32")]
    let backups = html! {
        <>
            <super::BackupSection vault={props.vault.clone()} />
            if let Some(vault) = props.vault.clone() { <super::PlainExport {vault} /> }
        </>
    };
    #[cfg(not(target_arch = "wasm32"))]
    let backups = html! {};
    html! {
        <div ref={dialog_ref} class="overlay" role="dialog" aria-modal="true" aria-labelledby="your-data-title" onkeydown={on_keydown}>
            <section class="panel data-panel" data-testid="your-data">
                <header class="panel-head">
                    <h2 id="your-data-title">{ "Your data" }</h2>
                    <button ref={close_ref} class="ghost" aria-label="Close" onclick={move |_| on_close.emit(())}>{ "✕" }</button>
                </header>
                <StorageSection />
                { backups }
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_like_a_file_manager() {
        assert_eq!(bytes(999), "999 bytes");
        assert_eq!(bytes(1_234), "1.2 KB");
        assert_eq!(bytes(56_000_000), "56 MB");
        assert_eq!(bytes(2_500_000_000), "2.5 GB");
    }

    #[test]
    fn a_cleared_vault_in_plain_words() {
        assert_eq!(
            cleared_words("Personal", false, false, false),
            "“Personal” was only on this device, so its notes are gone from this browser. Restore it from a backup if you have one."
        );
        assert!(
            cleared_words("Personal", true, false, true)
                .starts_with("Downloading “Personal” again from your sync server")
        );
        assert_eq!(
            cleared_words("Personal", true, true, true),
            "“Personal” was downloaded again from your sync server: unlock it to see your notes."
        );
        assert!(
            cleared_words("Personal", true, false, false).contains("set the server and log in")
        );
    }

    #[test]
    fn backups_in_plain_words() {
        let wrong = backup_error_words(&BackupError::Crypto(CryptoError::WrongPassword));
        assert!(
            wrong.starts_with("Wrong password for this backup"),
            "{wrong}"
        );
        assert_eq!(
            backup_error_words(&BackupError::Truncated),
            "This backup file is incomplete (it was cut short): use a complete copy."
        );
        assert_eq!(
            restored_words(&ImportReport::default()),
            "Nothing new: everything in this backup is already on this device."
        );
        let report = ImportReport {
            items_added: 1,
            items_updated: 2,
            items_unchanged: 0,
            versions_added: 4,
        };
        assert_eq!(
            restored_words(&report),
            "Restored: 1 note added, 2 notes updated, 4 versions added. Nothing on this device was lost."
        );
    }

    #[test]
    fn the_status_in_plain_words() {
        let kept = StorageStatus {
            persisted: true,
            usage_bytes: Some(1_500),
            quota_bytes: Some(10_000_000_000),
        };
        let (words, usage) = storage_words(&kept);
        assert_eq!(words, "Your notes are kept until you delete them.");
        assert_eq!(
            usage.as_deref(),
            Some("Using 1.5 KB of the 10 GB this browser allows this app.")
        );
        let (words, _) = storage_words(&StorageStatus {
            persisted: false,
            ..kept
        });
        assert!(words.starts_with("The browser may clear your notes if space runs low"));
    }
}
