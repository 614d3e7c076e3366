//! The backups section of "Your data": download a backup of the open vault, restore one (into
//! it, or as a new vault). Browser only: it works on `Blob`s and `File`s.

use super::input_value;
use super::your_data::{backup_error_words, restored_words};
use localful_yew::{BackupFile, BackupState, OpenVault, use_backup};
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlInputElement};
use yew::prelude::*;

/// Properties of [`BackupSection`].
#[derive(Properties, PartialEq)]
pub(crate) struct BackupSectionProps {
    /// The open vault (what "Download backup" saves), if any.
    #[prop_or_default]
    pub(crate) vault: Option<OpenVault>,
}

/// Saves `file` through the browser's download (an object URL on a temporary link).
pub(crate) fn save(file: &BackupFile) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&file.blob) else {
        return;
    };
    if let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(&file.file_name);
        link.click();
    }
    // Keep the URL a while: the browser may still be starting the download.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// Download a backup of the open vault; restore one (into it, or as a new vault).
#[function_component]
pub(crate) fn BackupSection(props: &BackupSectionProps) -> Html {
    let backup = use_backup();
    let password = use_state(String::new);
    let file_ref = use_node_ref();
    // A finished export is saved at once.
    {
        let state = backup.state().clone();
        use_effect_with(state, |state| {
            if let BackupState::Exported(file) = state {
                save(file);
            }
        });
    }
    let on_export = {
        let (backup, vault) = (backup.clone(), props.vault.clone());
        move |_| {
            if let Some(vault) = &vault {
                backup.export(vault);
            }
        }
    };
    let on_password = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| password.set(input_value(&e)))
    };
    let on_restore = {
        let (backup, password, file_ref) = (backup.clone(), password.clone(), file_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let file = file_ref
                .cast::<HtmlInputElement>()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                backup.restore(file.into(), (*password).clone());
            }
        })
    };
    let running = backup.state().is_running();
    let status = match backup.state() {
        BackupState::Idle => html! {},
        BackupState::Exporting(p) => {
            html! { <p role="status">{ format!("Writing the backup: {} of {} notes…", p.done, p.total) }</p> }
        }
        BackupState::Exported(file) => {
            html! { <p role="status" data-testid="backup-done">{ format!("Backup saved as “{}”.", file.file_name) }</p> }
        }
        BackupState::Verifying(p) => {
            html! { <p role="status">{ format!("Checking the file: {} of {} notes…", p.done, p.total) }</p> }
        }
        BackupState::Restoring(p) => {
            html! { <p role="status">{ format!("Restoring: {} of {} notes…", p.done, p.total) }</p> }
        }
        BackupState::Restored(report) => {
            html! { <p role="status" data-testid="restore-done">{ restored_words(report) }</p> }
        }
        BackupState::Failed(err) => {
            html! { <p class="error" role="alert" data-testid="backup-error">{ backup_error_words(err) }</p> }
        }
        _ => html! {},
    };
    html! {
        <section aria-labelledby="backup-title">
            <h3 id="backup-title">{ "Backups" }</h3>
            <p class="muted">{ "A backup is one file with your notes and their history, still encrypted: you need the \
                vault's password to restore it, on this browser or another, with or without a server." }</p>
            if props.vault.is_some() {
                <button class="primary" data-testid="backup-download" disabled={running} onclick={on_export}>{ "Download backup" }</button>
            }
            <form class="restore-form" onsubmit={on_restore}>
                <label>{ "Backup file" }<input ref={file_ref} type="file" data-testid="restore-file" accept=".localful-backup,application/x-ndjson" /></label>
                <label>{ "The vault's password" }<input type="password" data-testid="restore-password" autocomplete="current-password"
                    value={(*password).clone()} oninput={on_password} /></label>
                <button type="submit" class="secondary" data-testid="restore-submit" disabled={running}>{ "Restore from backup" }</button>
            </form>
            { status }
        </section>
    }
}
