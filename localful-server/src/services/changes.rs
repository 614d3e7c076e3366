//! The per-vault change log: every item/version change takes the vault's next `seq`.
//!
//! An entry on the wire (and the payload of the matching socket event) is a protocol
//! [`Change`]: `{seq, event, vaultId, createdAt, item}` or `{..., version}`, with the entity as
//! it is now (a deleted version shows `deletedAt` and no data).

use super::AuthCtx;
use crate::{
    db::{self, changes::Subject},
    error::{AppError, AppResult, ErrorKind},
    model::VersionRow,
    requests,
    state::AppState,
    sync::events::{Broadcast, session_room},
};
use localful_protocol::{Change, ChangeKind, ChangesPage, ItemId, Timestamp, VaultId, VersionId, WireItem, WireVersion};
use localful_protocol::{ErrorContext, Limit};
use sqlx::{AnyConnection, AnyPool};
use std::collections::HashMap;

/// The entity a change is about.
pub(crate) enum Entity<'a> {
    Item(&'a WireItem),
    Version(&'a WireVersion),
}

/// Appends a change to the vault's log (inside the caller's transaction), adding `bytes` to the
/// vault's usage and enforcing `max_vault_bytes`. Returns the wire entry.
pub(crate) async fn record(
    c: &mut AnyConnection,
    state: &AppState,
    vault_id: VaultId,
    event: ChangeKind,
    entity: Entity<'_>,
    bytes: i64,
) -> AppResult<Change> {
    let (seq, used) = db::vaults::next_seq(c, vault_id, bytes).await?;
    if bytes > 0 && used > max_vault_bytes(state) {
        return Err(vault_full(state));
    }
    let subject = match entity {
        Entity::Item(i) => Subject::Item(i.id),
        Entity::Version(v) => Subject::Version(v.id),
    };
    let change = db::changes::LogRow { vault_id, seq, event, subject, created_at: Timestamp::now() };
    db::changes::insert(c, &change).await?;
    Ok(entry(&change, Some(entity)))
}

/// `max_vault_bytes` as the database's signed integer.
pub(crate) fn max_vault_bytes(state: &AppState) -> i64 {
    state.config.max_vault_bytes.min(i64::MAX as u64) as i64
}

/// The error of a write that would take the vault past `max_vault_bytes`.
pub(crate) fn vault_full(state: &AppState) -> AppError {
    AppError::new(ErrorKind::LimitExceeded, "The vault's storage limit would be exceeded")
        .with_context(ErrorContext::limit(Limit::VaultBytes, state.config.max_vault_bytes))
}

/// The wire entry of `change`, with its entity as it is now (`None`: the entity is gone).
pub(crate) fn entry(change: &db::changes::LogRow, entity: Option<Entity<'_>>) -> Change {
    let (item, version) = match entity {
        Some(Entity::Item(i)) => (Some(i.clone()), None),
        Some(Entity::Version(v)) => (None, Some(v.clone())),
        None => (None, None),
    };
    Change { created_at: Some(change.created_at), event: change.event, item, seq: change.seq, vault_id: change.vault_id, version }
}

async fn load_entry(c: &mut AnyConnection, change: &db::changes::LogRow) -> AppResult<Change> {
    Ok(match change.subject {
        Subject::Item(id) => {
            let item = db::items::by_id(c, id).await?;
            entry(change, item.as_ref().map(Entity::Item))
        }
        Subject::Version(id) => {
            let version = db::versions::by_id(c, id).await?;
            entry(change, version.as_ref().map(|v| Entity::Version(&v.version)))
        }
    })
}

/// The wire entries of `page` (consecutive changes of `vault`, in order): its items and versions
/// are read by two queries over the page's range of `seq`, not one per entry.
async fn load_page(c: &mut AnyConnection, vault: VaultId, page: &[db::changes::LogRow]) -> AppResult<Vec<Change>> {
    let (Some(first), Some(last)) = (page.first(), page.last()) else { return Ok(Vec::new()) };
    let (after, upto) = (first.seq.saturating_sub(1), last.seq);
    let items: HashMap<ItemId, WireItem> =
        db::items::changed_in(c, vault, after, upto).await?.into_iter().map(|i| (i.id, i)).collect();
    let versions: HashMap<VersionId, WireVersion> = db::versions::changed_in(c, vault, after, upto)
        .await?
        .into_iter()
        .map(|VersionRow { version, .. }| (version.id, version))
        .collect();
    Ok(page
        .iter()
        .map(|change| {
            let entity = match change.subject {
                Subject::Item(id) => items.get(&id).map(Entity::Item),
                Subject::Version(id) => versions.get(&id).map(Entity::Version),
            };
            entry(change, entity)
        })
        .collect())
}

/// One entry, for fan-out of payloads too big to notify inline.
pub(crate) async fn load(pool: &AnyPool, vault: VaultId, seq: u64) -> AppResult<Option<Change>> {
    let mut c = pool.acquire().await?;
    let Some(change) = db::changes::get(&mut c, vault, seq).await? else {
        return Ok(None);
    };
    load_entry(&mut c, &change).await.map(Some)
}

/// Publishes the committed changes `pending`, in order (see [`publish`]).
pub(crate) async fn publish_all(state: &AppState, auth: &AuthCtx, pending: Vec<Change>) {
    let except = Some(session_room(&auth.session_id));
    state.events.publish_all(pending.into_iter().map(|change| Broadcast::Change { except: except.clone(), change }).collect()).await;
}

/// Publishes a committed change to the vault's subscribers, not to the session that made it.
pub(crate) async fn publish(state: &AppState, auth: &AuthCtx, change: Change) {
    state.events.publish(Broadcast::Change { except: Some(session_room(&auth.session_id)), change }).await;
}

/// `GET /v1/vaults/:id/changes?since=&limit=`.
pub(crate) async fn list(state: &AppState, auth: &AuthCtx, vault: VaultId, q: requests::ChangesQuery) -> AppResult<ChangesPage> {
    let (limit, _) = requests::page(q.limit, None)?;
    let since = q.since.unwrap_or(0);
    let mut tx = state.pool.begin().await?;
    super::vaults::repeatable_read(&mut tx, state).await?;
    super::owned_vault(&mut tx, auth.user_id, vault).await?;
    let latest = db::vaults::last_seq(&mut tx, vault).await?;
    let total = db::changes::count_since(&mut tx, vault, since).await?;
    let page = db::changes::since(&mut tx, vault, since, limit).await?;
    let results = load_page(&mut tx, vault, &page).await?;
    tx.commit().await?;
    let mut listing = ChangesPage::page(results, total, u64::try_from(limit).unwrap_or(0), 0);
    listing.meta.latest_seq = Some(latest);
    Ok(listing)
}
