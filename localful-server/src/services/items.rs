//! Items: create (idempotent for pushes), list, read, delete (tombstone).

use super::{AuthCtx, Created, Listing, changes::{self, ChangeEvent, Entity}};
use crate::{
    db,
    error::{AppError, AppResult, ErrorKind},
    fields::{Id, Time},
    model::Item,
    requests,
    state::AppState,
};

/// Creates `item` in its vault; an id already in the same vault is `Existing` (then a tombstone
/// in `item.deleted_at` is applied), an id elsewhere is `resource-not-unique`.
pub(crate) async fn create(state: &AppState, auth: &AuthCtx, item: Item) -> AppResult<Created<Item>> {
    let mut tx = state.pool.begin().await?;
    super::owned_vault(&mut tx, &auth.user_id, &item.vault_id).await?;
    let mut entries = Vec::new();
    let result = match db::items::by_id(&mut tx, &item.id).await? {
        Some(existing) if existing.vault_id == item.vault_id => {
            if let Some(at) = item.deleted_at.as_deref().filter(|_| existing.deleted_at.is_none()) {
                entries.push((ChangeEvent::ItemDelete, tombstone(&mut tx, state, &existing, at).await?.1));
            }
            Created::Existing(db::items::by_id(&mut tx, &item.id).await?.unwrap_or(existing))
        }
        Some(_) => return Err(AppError::new(ErrorKind::ResourceNotUnique, "An item with this id exists")),
        None => {
            db::items::insert(&mut tx, &item).await.map_err(super::unique_to(ErrorKind::ResourceNotUnique, "An item with this id exists"))?;
            entries.push((ChangeEvent::ItemCreate, changes::record(&mut tx, state, &item.vault_id, ChangeEvent::ItemCreate, Entity::Item(&item), 0).await?));
            Created::New(item)
        }
    };
    tx.commit().await?;
    let vault = match &result {
        Created::New(i) | Created::Existing(i) => i.vault_id.clone(),
    };
    for (event, entry) in entries {
        changes::publish(state, auth, &vault, event, entry).await;
    }
    Ok(result)
}

async fn tombstone(
    c: &mut sqlx::AnyConnection,
    state: &AppState,
    item: &Item,
    at: &str,
) -> AppResult<(Item, serde_json::Value)> {
    db::items::tombstone(c, &item.id, at).await?;
    let freed = db::versions::delete_by_item(c, &item.id, at).await?;
    let mut deleted = item.clone();
    deleted.deleted_at = Some(at.into());
    let entry = changes::record(c, state, &item.vault_id, ChangeEvent::ItemDelete, Entity::Item(&deleted), -freed).await?;
    Ok((deleted, entry))
}

/// `POST /v1/items`: an existing id is `resource-not-unique`.
pub(crate) async fn create_http(state: &AppState, auth: &AuthCtx, body: requests::ItemCreate) -> AppResult<Item> {
    let item = Item {
        id: body.id.to_string(),
        vault_id: body.vault_id.to_string(),
        collection: body.collection.into_string(),
        created_at: body.created_at.into_string(),
        deleted_at: None,
    };
    match create(state, auth, item).await? {
        Created::New(i) => Ok(i),
        Created::Existing(_) => Err(AppError::new(ErrorKind::ResourceNotUnique, "An item with this id exists")),
    }
}

/// `GET /v1/items?vaultId=`.
pub(crate) async fn list(state: &AppState, auth: &AuthCtx, q: requests::ItemsQuery) -> AppResult<Listing<Item>> {
    let (limit, offset) = requests::page(q.limit, q.offset)?;
    let mut c = state.pool.acquire().await?;
    super::owned_vault(&mut c, &auth.user_id, q.vault_id.as_str()).await?;
    let total = db::items::count_by_vault(&mut c, q.vault_id.as_str()).await?;
    let results = db::items::list_by_vault(&mut c, q.vault_id.as_str(), limit, offset).await?;
    Ok(Listing::new(results, total, limit, offset))
}

/// `GET /v1/items/:id`.
pub(crate) async fn get(state: &AppState, auth: &AuthCtx, id: &Id) -> AppResult<Item> {
    Ok(super::owned_item(&mut *state.pool.acquire().await?, &auth.user_id, id.as_str()).await?.0)
}

/// `DELETE /v1/items/:id`: sets the tombstone and drops the data of all its versions.
/// Deleting a deleted item answers the item again.
pub(crate) async fn delete(state: &AppState, auth: &AuthCtx, id: &Id) -> AppResult<Item> {
    let mut tx = state.pool.begin().await?;
    let (item, _) = super::owned_item(&mut tx, &auth.user_id, id.as_str()).await?;
    if item.deleted_at.is_some() {
        return Ok(item);
    }
    let (deleted, entry) = tombstone(&mut tx, state, &item, Time::now().as_str()).await?;
    tx.commit().await?;
    changes::publish(state, auth, &item.vault_id, ChangeEvent::ItemDelete, entry).await;
    Ok(deleted)
}
