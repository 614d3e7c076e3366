//! Business rules: ownership, limits, the change log and events. Each write is one transaction;
//! events are published after it commits.

pub(crate) mod auth;
pub(crate) mod batch;
#[cfg(test)]
mod batch_tests;
pub(crate) mod changes;
pub(crate) mod items;
pub(crate) mod tickets;
pub(crate) mod users;
pub(crate) mod vaults;
pub(crate) mod versions;

use crate::{
    db,
    error::{AppError, AppResult, ErrorKind},
};
use localful_protocol::{ItemId, Listing, UserId, VaultId, WireItem, WireVault};
use sqlx::AnyConnection;

/// Who is calling: the user and the session of the access token (or ticket).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCtx {
    /// The user id.
    pub user_id: UserId,
    /// The session id (`sid`).
    pub session_id: String,
}

/// The page `results` of `total` (database counts are never negative).
pub(crate) fn listing<T>(results: Vec<T>, total: i64, limit: i64, offset: i64) -> Listing<T> {
    let unsigned = |n: i64| u64::try_from(n).unwrap_or(0);
    Listing::page(results, unsigned(total), unsigned(limit), unsigned(offset))
}

/// Whether a create found the id new or already there (for idempotent sync pushes).
#[derive(Debug)]
pub(crate) enum Created<T> {
    New(T),
    Existing(T),
}

/// `vault-not-found`: the vault does not exist or is another user's (never told apart).
pub(crate) fn vault_not_found() -> AppError {
    AppError::new(ErrorKind::VaultNotFound, "Vault not found")
}

/// The vault `id` if `user` owns it, else `vault-not-found` (never revealing another's vault).
pub(crate) async fn owned_vault(c: &mut AnyConnection, user: UserId, id: VaultId) -> AppResult<WireVault> {
    match db::vaults::by_id(c, id).await? {
        Some(v) if v.owner_id == user => Ok(v),
        _ => Err(vault_not_found()),
    }
}

/// The item `id` if `user` owns its vault, else `resource-not-found` (one statement).
pub(crate) async fn owned_item(c: &mut AnyConnection, user: UserId, id: ItemId) -> AppResult<WireItem> {
    db::items::owned_by(c, id, user).await?.ok_or_else(|| AppError::new(ErrorKind::ResourceNotFound, "Item not found"))
}

/// Maps a unique-constraint violation that slipped past the checks (a concurrent insert) to `kind`.
pub(crate) fn unique_to(kind: ErrorKind, message: &'static str) -> impl Fn(sqlx::Error) -> AppError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::new(kind.clone(), message),
        _ => AppError::unexpected(e),
    }
}
