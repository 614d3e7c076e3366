//! The hooks, one per file.

mod use_auth;
#[cfg(target_arch = "wasm32")]
mod use_backup;
#[cfg(target_arch = "wasm32")]
mod use_cleared_vaults;
mod use_get;
mod use_live;
mod use_mutation;
mod use_query;
mod use_storage;
mod use_sync_status;
mod use_vault;
mod use_vaults;
mod use_versions;

pub use use_auth::{use_auth, UseAuthHandle};
#[cfg(target_arch = "wasm32")]
pub use use_backup::{use_backup, BackupFile, BackupState, UseBackupHandle};
#[cfg(target_arch = "wasm32")]
pub use use_cleared_vaults::{use_cleared_vaults, ClearedVault, ClearedVaults, UseClearedVaultsHandle};
pub use use_get::use_get;
pub use use_live::use_live;
pub use use_mutation::{use_mutation, MutationOutput, UseMutationHandle};
pub use use_query::use_query;
pub use use_storage::{use_storage, UseStorageHandle};
pub use use_sync_status::{use_sync_status, UseSyncStatusHandle};
pub use use_vault::{use_vault, UseVaultHandle, VaultState};
pub use use_vaults::{use_vaults, UseVaultsHandle};
pub use use_versions::use_versions;
