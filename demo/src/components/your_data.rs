//! "Your data": where the notes are kept on this device (persisted or not, space used) and, for an
//! open vault, backups.

use super::dialog::{dialog_keys, use_dialog_focus};
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
                        <button data-testid="storage-persist" disabled={storage.is_requesting()}
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

/// A dialog over the app.
#[function_component]
pub(crate) fn YourData(props: &YourDataProps) -> Html {
    let (dialog_ref, close_ref) = (use_node_ref(), use_node_ref());
    use_dialog_focus(close_ref.clone());
    let on_keydown = dialog_keys(dialog_ref.clone(), props.on_close.clone());
    let on_close = props.on_close.clone();
    html! {
        <div ref={dialog_ref} class="overlay" role="dialog" aria-modal="true" aria-labelledby="your-data-title" onkeydown={on_keydown}>
            <section class="panel" data-testid="your-data">
                <header class="panel-head">
                    <h2 id="your-data-title">{ "Your data" }</h2>
                    <button ref={close_ref} class="ghost" aria-label="Close" onclick={move |_| on_close.emit(())}>{ "✕" }</button>
                </header>
                <StorageSection />
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
