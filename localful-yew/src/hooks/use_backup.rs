use crate::context::use_localful;
use crate::session::OpenVault;
use localful_core::backup::{BackupError, BackupProgress, BlobSink, ImportReport, blob_chunks};
use localful_core::{Database, crypto};
use std::rc::Rc;
use yew::prelude::*;

/// A backup file made by [`UseBackupHandle::export`].
#[derive(Clone, Debug, PartialEq)]
pub struct BackupFile {
    /// The file's bytes (`application/x-ndjson`), made of parts: never one string in memory.
    pub blob: web_sys::Blob,
    /// A file name to offer: `<vault name> <date>.localful-backup`.
    pub file_name: String,
}

/// Where the latest backup or restore is (see [`use_backup`]).
#[derive(Clone, Debug, PartialEq, Default)]
#[non_exhaustive]
pub enum BackupState {
    /// Nothing started yet.
    #[default]
    Idle,
    /// Writing the backup: `done` of `total` items.
    Exporting(BackupProgress),
    /// The backup is ready to save.
    Exported(BackupFile),
    /// Checking the file before anything is written.
    Verifying(BackupProgress),
    /// Merging the file into this device.
    Restoring(BackupProgress),
    /// Restored: what it added.
    Restored(ImportReport),
    /// Why it failed (nothing was written when the file was refused).
    Failed(BackupError),
}

impl BackupState {
    /// Whether an export or a restore is running.
    pub fn is_running(&self) -> bool {
        matches!(
            self,
            Self::Exporting(_) | Self::Verifying(_) | Self::Restoring(_)
        )
    }
}

/// Encrypted backups: export a vault to a file and restore one (see [`use_backup`]).
#[derive(Clone, Debug, PartialEq)]
pub struct UseBackupHandle {
    state: UseStateHandle<BackupState>,
    ctx: crate::LocalfulContext,
}

impl UseBackupHandle {
    /// The latest export's or restore's state.
    pub fn state(&self) -> &BackupState {
        &self.state
    }

    /// Makes a backup of `vault` (unlocked): its protected key, every item and version still
    /// encrypted, tombstones. The state goes `Exporting` → `Exported(file)` (or `Failed`). Ignored
    /// while another export or restore runs.
    pub fn export(&self, vault: &OpenVault) {
        if self.state.is_running() {
            return;
        }
        let (state, vault) = (self.state.setter(), vault.clone());
        state.set(BackupState::Exporting(BackupProgress::default()));
        wasm_bindgen_futures::spawn_local(async move {
            let name = match vault.database().vault(vault.id()).await {
                Ok(meta) => meta.name,
                Err(e) => return state.set(BackupState::Failed(e.into())),
            };
            let mut sink = BlobSink::new();
            let progress = state.clone();
            let written = vault
                .export_backup(
                    |line| sink.push(line),
                    move |p| progress.set(BackupState::Exporting(p)),
                )
                .await;
            state.set(match written.and_then(|()| sink.finish()) {
                Ok(blob) => {
                    let date = localful_core::Timestamp::now().to_string();
                    let day = date.get(..10).unwrap_or(&date);
                    BackupState::Exported(BackupFile {
                        blob,
                        file_name: format!("{name} {day}.localful-backup"),
                    })
                }
                Err(e) => BackupState::Failed(e),
            });
        });
    }

    /// Restores the backup in `file` (a `File` from an `<input type="file">` is a `Blob`) with
    /// the vault's password as it was when the backup was made. The file is checked whole first
    /// (`Verifying`: a changed or cut file is refused and nothing is written), then merged
    /// (`Restoring`) into the vault if this device has it, or as a new local vault otherwise;
    /// `Restored(report)` says what it added. Ignored while another export or restore runs.
    pub fn restore(&self, file: web_sys::Blob, password: String) {
        if self.state.is_running() {
            return;
        }
        let (state, database) = (self.state.setter(), self.ctx.database().clone());
        state.set(BackupState::Verifying(BackupProgress::default()));
        wasm_bindgen_futures::spawn_local(async move {
            let result = restore(&database, &file, &password, &state).await;
            state.set(match result {
                Ok(report) => BackupState::Restored(report),
                Err(e) => BackupState::Failed(e),
            });
        });
    }
}

async fn restore(
    database: &Database,
    file: &web_sys::Blob,
    password: &str,
    state: &UseStateSetter<BackupState>,
) -> Result<ImportReport, BackupError> {
    let progress = state.clone();
    let summary = Database::verify_backup(blob_chunks(file), move |p| {
        progress.set(BackupState::Verifying(p))
    })
    .await?;
    let key = crypto::unlock(&summary.header.vault.protected_encryption_key, password).await?;
    let progress = state.clone();
    database
        .restore_backup(&summary, Rc::new(key), blob_chunks(file), move |p| {
            progress.set(BackupState::Restoring(p))
        })
        .await
}

/// Encrypted backups without a server: [`export`](UseBackupHandle::export) a vault to one file
/// and [`restore`](UseBackupHandle::restore) it on this or another browser or device, with
/// progress. The format is documented in [`localful_core::backup`]: the vault's protected key and
/// every version still encrypted, so the file is as safe as the password.
///
/// # Example
/// ```no_run
/// # use localful_yew::{use_backup, BackupState, OpenVault};
/// # use yew::prelude::*;
/// #[derive(Properties, PartialEq)]
/// struct Props { vault: OpenVault }
///
/// #[function_component]
/// fn Backup(props: &Props) -> Html {
///     let backup = use_backup();
///     let export = { let (backup, vault) = (backup.clone(), props.vault.clone()); move |_| backup.export(&vault) };
///     html! {
///         <>
///             <button onclick={export} disabled={backup.state().is_running()}>{ "Download backup" }</button>
///             { match backup.state() {
///                 BackupState::Exporting(p) => html! { <progress max={p.total.to_string()} value={p.done.to_string()} /> },
///                 BackupState::Exported(file) => html! { <p>{ format!("{} is ready", file.file_name) }</p> },
///                 BackupState::Failed(err) => html! { <p class="error">{ err.to_string() }</p> },
///                 _ => html! {},
///             } }
///         </>
///     }
/// }
/// ```
///
/// # Caution
/// Browser only (it works on `Blob`s). A restore asks for the password the vault had when the
/// backup was made: its protected key is the one in the file.
#[hook]
pub fn use_backup() -> UseBackupHandle {
    let state = use_state(BackupState::default);
    UseBackupHandle {
        state,
        ctx: use_localful(),
    }
}
