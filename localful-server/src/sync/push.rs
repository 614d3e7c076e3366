//! `push {items, versions}`: a batch of creates and deletions, idempotent by client id.
//!
//! Items are applied before versions (a version may name an item of the same batch). Each entry
//! is its own transaction; the ack reports each id:
//! `{ok: true, items: [{id, ok: true, status: "created"|"exists"} | {id, ok: false, error}], versions: [...]}`.

use super::handlers::{ack_error, live_session};
use crate::{
    error::AppError,
    extract::parse_value,
    model::{Item, Version},
    requests::{PushItem, PushVersion},
    services::{self, AuthCtx, Created},
    state::AppState,
};
use serde::Deserialize;
use serde_json::{Value, json};
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

/// Entries one push may carry.
const MAX_BATCH: usize = 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Push {
    #[serde(default)]
    items: Vec<Value>,
    #[serde(default)]
    versions: Vec<Value>,
}

fn outcome<T>(id: Option<String>, r: Result<Created<T>, AppError>) -> Value {
    match r {
        Ok(Created::New(_)) => json!({ "id": id, "ok": true, "status": "created" }),
        Ok(Created::Existing(_)) => json!({ "id": id, "ok": true, "status": "exists" }),
        Err(e) => json!({ "id": id, "ok": false, "error": e.body() }),
    }
}

fn id_of(v: &Value) -> Option<String> {
    v.get("id").and_then(Value::as_str).map(|s| crate::fields::Id::parse(s).map_or_else(|| s.to_string(), |i| i.to_string()))
}

async fn push_item(state: &AppState, auth: &AuthCtx, raw: Value) -> Result<Created<Item>, AppError> {
    let p: PushItem = parse_value(raw)?;
    let item = Item {
        id: p.id.to_string(),
        vault_id: p.vault_id.to_string(),
        collection: p.collection.into_string(),
        created_at: p.created_at.into_string(),
        deleted_at: p.deleted_at.map(|t| t.into_string()),
    };
    services::items::create(state, auth, item).await
}

async fn push_version(state: &AppState, auth: &AuthCtx, raw: Value) -> Result<Created<Version>, AppError> {
    let p: PushVersion = parse_value(raw)?;
    let version = Version {
        id: p.id.to_string(),
        item_id: p.item_id.to_string(),
        protected_data: p.protected_data.map(|d| d.into_string()),
        device_name: p.device_name.into_string(),
        schema_version: i64::from(p.schema_version),
        created_at: p.created_at.into_string(),
        deleted_at: p.deleted_at.map(|t| t.into_string()),
        vault_id: String::new(),
    };
    services::versions::create(state, auth, version).await
}

/// The `push` event handler.
pub(super) async fn push(s: SocketRef, State(state): State<AppState>, TryData(data): TryData<Value>, ack: AckSender) {
    let Some(session) = live_session(&s, &state).await else { return };
    let batch = parse_value::<Push>(data.unwrap_or(Value::Null)).and_then(|b| {
        if b.items.len() + b.versions.len() > MAX_BATCH {
            Err(AppError::invalid(format!("At most {MAX_BATCH} entries per push")))
        } else {
            Ok(b)
        }
    });
    let batch = match batch {
        Ok(b) => b,
        Err(e) => {
            let _ = ack.send(&ack_error(&e));
            return;
        }
    };
    let mut items = Vec::with_capacity(batch.items.len());
    for raw in batch.items {
        let id = id_of(&raw);
        items.push(outcome(id, push_item(&state, &session.auth, raw).await));
    }
    let mut versions = Vec::with_capacity(batch.versions.len());
    for raw in batch.versions {
        let id = id_of(&raw);
        versions.push(outcome(id, push_version(&state, &session.auth, raw).await));
    }
    let _ = ack.send(&json!({ "ok": true, "items": items, "versions": versions }));
}
