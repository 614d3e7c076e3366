//! Business rules: ownership, limits, the change log and events. Each write is one transaction;
//! events are published after it commits.

pub(crate) mod auth;
pub(crate) mod changes;
pub(crate) mod items;
pub(crate) mod tickets;
pub(crate) mod users;
pub(crate) mod vaults;
pub(crate) mod versions;

use crate::{
    db,
    error::{AppError, AppResult, ErrorKind},
    model::{Item, Vault},
};
use serde::Serialize;
use sqlx::AnyConnection;

/// Who is calling: the user and the session of the access token (or ticket).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCtx {
    /// The user id.
    pub user_id: String,
    /// The session id (`sid`).
    pub session_id: String,
}

/// A page of results: `{meta: {results, total, limit, offset}, results}`.
#[derive(Debug, Serialize)]
pub(crate) struct Listing<T> {
    pub(crate) meta: ListingMeta,
    pub(crate) results: Vec<T>,
}

/// Listing metadata.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ListingMeta {
    pub(crate) results: usize,
    pub(crate) total: i64,
    pub(crate) limit: i64,
    pub(crate) offset: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) latest_seq: Option<i64>,
}

impl<T> Listing<T> {
    pub(crate) fn new(results: Vec<T>, total: i64, limit: i64, offset: i64) -> Self {
        Self { meta: ListingMeta { results: results.len(), total, limit, offset, latest_seq: None }, results }
    }
}

/// Whether a create found the id new or already there (for idempotent sync pushes).
#[derive(Debug)]
pub(crate) enum Created<T> {
    New(T),
    Existing(T),
}

/// The vault `id` if `user` owns it, else `vault-not-found` (never revealing another's vault).
pub(crate) async fn owned_vault(c: &mut AnyConnection, user: &str, id: &str) -> AppResult<Vault> {
    match db::vaults::by_id(c, id).await? {
        Some(v) if v.owner_id == user => Ok(v),
        _ => Err(AppError::new(ErrorKind::VaultNotFound, "Vault not found")),
    }
}

/// The item `id` if `user` owns its vault, else `resource-not-found` (one statement).
pub(crate) async fn owned_item(c: &mut AnyConnection, user: &str, id: &str) -> AppResult<Item> {
    db::items::owned_by(c, id, user).await?.ok_or_else(|| AppError::new(ErrorKind::ResourceNotFound, "Item not found"))
}

/// Maps a unique-constraint violation that slipped past the checks (a concurrent insert) to `kind`.
pub(crate) fn unique_to(kind: ErrorKind, message: &'static str) -> impl Fn(sqlx::Error) -> AppError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::new(kind, message),
        _ => AppError::unexpected(e),
    }
}
