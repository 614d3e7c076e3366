//! The per-vault change log: every item/version change takes the vault's next `seq`.
//!
//! An entry on the wire (and the payload of the matching socket event) is
//! `{seq, event, vaultId, createdAt, item}` or `{..., version}`, with the entity as it is now
//! (a deleted version shows `deletedAt` and no data).

use super::{AuthCtx, Listing};
use crate::{
    db::{self, changes::Change},
    error::{AppError, AppResult},
    fields::{Id, Time},
    model::{Item, Version},
    requests,
    state::AppState,
    sync::events::{Broadcast, session_room, vault_room},
};
use serde_json::{Value, json};
use sqlx::{AnyConnection, AnyPool};
use std::collections::HashMap;

/// Event and change-log names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeEvent {
    ItemCreate,
    ItemDelete,
    VersionCreate,
    VersionDelete,
}

impl ChangeEvent {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::ItemCreate => "item-create",
            Self::ItemDelete => "item-delete",
            Self::VersionCreate => "version-create",
            Self::VersionDelete => "version-delete",
        }
    }
}

/// The entity a change is about.
pub(crate) enum Entity<'a> {
    Item(&'a Item),
    Version(&'a Version),
}

/// Appends a change to the vault's log (inside the caller's transaction), adding `bytes` to the
/// vault's usage and enforcing `max_vault_bytes`. Returns the wire entry.
pub(crate) async fn record(
    c: &mut AnyConnection,
    state: &AppState,
    vault_id: &str,
    event: ChangeEvent,
    entity: Entity<'_>,
    bytes: i64,
) -> AppResult<Value> {
    let (seq, used) = db::vaults::next_seq(c, vault_id, bytes).await?;
    if bytes > 0 && used > state.config.max_vault_bytes.min(i64::MAX as u64) as i64 {
        return Err(AppError::new(crate::error::ErrorKind::LimitExceeded, "The vault's storage limit would be exceeded")
            .with_context(json!({ "limit": "vaultBytes", "max": state.config.max_vault_bytes })));
    }
    let id = match entity {
        Entity::Item(i) => i.id.clone(),
        Entity::Version(v) => v.id.clone(),
    };
    let change = Change { vault_id: vault_id.into(), seq, event: event.name().into(), entity_id: id, created_at: Time::now().into_string() };
    db::changes::insert(c, &change).await?;
    Ok(entry(&change, entity))
}

fn entry(change: &Change, entity: Entity<'_>) -> Value {
    let mut v = json!({
        "seq": change.seq,
        "event": change.event,
        "vaultId": change.vault_id,
        "createdAt": change.created_at,
    });
    match entity {
        Entity::Item(i) => v["item"] = json!(i),
        Entity::Version(ver) => v["version"] = json!(ver),
    }
    v
}

async fn load_entry(c: &mut AnyConnection, change: &Change) -> AppResult<Value> {
    Ok(if change.event.starts_with("item") {
        match db::items::by_id(c, &change.entity_id).await? {
            Some(i) => entry(change, Entity::Item(&i)),
            None => {
                json!({ "seq": change.seq, "event": change.event, "vaultId": change.vault_id, "createdAt": change.created_at })
            }
        }
    } else {
        match db::versions::by_id(c, &change.entity_id).await? {
            Some(v) => entry(change, Entity::Version(&v)),
            None => {
                json!({ "seq": change.seq, "event": change.event, "vaultId": change.vault_id, "createdAt": change.created_at })
            }
        }
    })
}

/// The wire entries of `page` (consecutive changes of `vault`, in order): its items and versions
/// are read by two queries over the page's range of `seq`, not one per entry (a page of 1 000
/// took 1 000 round trips to the database).
async fn load_page(c: &mut AnyConnection, vault: &str, page: &[Change]) -> AppResult<Vec<Value>> {
    let (Some(first), Some(last)) = (page.first(), page.last()) else { return Ok(Vec::new()) };
    let (after, upto) = (first.seq - 1, last.seq);
    let items: HashMap<String, Item> =
        db::items::changed_in(c, vault, after, upto).await?.into_iter().map(|i| (i.id.clone(), i)).collect();
    let versions: HashMap<String, Version> =
        db::versions::changed_in(c, vault, after, upto).await?.into_iter().map(|v| (v.id.clone(), v)).collect();
    Ok(page
        .iter()
        .map(|change| {
            let entity = if change.event.starts_with("item") {
                items.get(&change.entity_id).map(Entity::Item)
            } else {
                versions.get(&change.entity_id).map(Entity::Version)
            };
            match entity {
                Some(entity) => entry(change, entity),
                None => bare_entry(change),
            }
        })
        .collect())
}

/// The entry of a change whose entity is gone.
fn bare_entry(change: &Change) -> Value {
    json!({ "seq": change.seq, "event": change.event, "vaultId": change.vault_id, "createdAt": change.created_at })
}

/// One entry, for fan-out of payloads too big to notify inline.
pub(crate) async fn load(pool: &AnyPool, vault: &str, seq: i64) -> AppResult<Option<Value>> {
    let mut c = pool.acquire().await?;
    let Some(change) = db::changes::get(&mut c, vault, seq).await? else {
        return Ok(None);
    };
    load_entry(&mut c, &change).await.map(Some)
}

/// A change written in a transaction, to publish once the transaction commits.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) event: ChangeEvent,
    pub(crate) vault_id: String,
    pub(crate) entry: Value,
}

/// Publishes the committed changes `pending`, in order (see [`publish`]).
pub(crate) async fn publish_all(state: &AppState, auth: &AuthCtx, pending: Vec<Pending>) {
    for p in pending {
        publish(state, auth, &p.vault_id, p.event, p.entry).await;
    }
}

/// Publishes a committed change to the vault's subscribers, not to the session that made it.
pub(crate) async fn publish(state: &AppState, auth: &AuthCtx, vault_id: &str, event: ChangeEvent, entry: Value) {
    state
        .events
        .publish(Broadcast::Emit {
            rooms: vec![vault_room(vault_id)],
            except: Some(session_room(&auth.session_id)),
            event: event.name().into(),
            data: entry,
        })
        .await;
}

/// `GET /v1/vaults/:id/changes?since=&limit=`.
pub(crate) async fn list(state: &AppState, auth: &AuthCtx, vault: &Id, q: requests::ChangesQuery) -> AppResult<Listing<Value>> {
    let (limit, _) = requests::page(q.limit, None)?;
    let since = q.since.unwrap_or(0) as i64;
    let mut tx = state.pool.begin().await?;
    super::vaults::repeatable_read(&mut tx, state).await?;
    super::owned_vault(&mut tx, &auth.user_id, vault.as_str()).await?;
    let latest = db::vaults::last_seq(&mut tx, vault.as_str()).await?;
    let total = db::changes::count_since(&mut tx, vault.as_str(), since).await?;
    let page = db::changes::since(&mut tx, vault.as_str(), since, limit).await?;
    let results = load_page(&mut tx, vault.as_str(), &page).await?;
    tx.commit().await?;
    let mut listing = Listing::new(results, total, limit, 0);
    listing.meta.latest_seq = Some(latest);
    Ok(listing)
}
