//! Everything an app needs, to glob-import beside `yew::prelude::*` with no name meaning two
//! things:
//!
//! ```
//! use localful_yew::prelude::*;
//! use yew::prelude::*;
//! ```
//!
//! It includes [`localful_core::prelude`] (queries, ids, `#[derive(Collection)]`), where the
//! change event is `ChangeEvent` (yew's `Event` is the DOM's) and a vault's metadata `VaultMeta`.
//! An unlocked vault, as hooks and properties take it, is [`OpenVault`].

pub use crate::{
    use_auth, use_get, use_live, use_localful, use_mutation, use_query, use_sync_status, use_vault, use_vaults,
    use_versions, AsyncState, ChangePasswordError, Live, LocalfulConfig, LocalfulContext, LocalfulProvider,
    MutationFuture, MutationOutput, OpenVault, StorageKind, UseAuthHandle, UseMutationHandle, UseVaultHandle,
    UseVaultsHandle, VaultState, Watch,
};
pub use localful_core::prelude::*;
