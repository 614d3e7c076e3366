//! `push {items, versions}`: a batch of creates and deletions, idempotent by client id.
//!
//! Items are applied before versions (a version may name an item of the same batch). Entries are
//! written [`PER_TRANSACTION`] to a transaction (one commit, one fsync on SQLite, per chunk), each
//! chunk with checks per batch and multi-row statements ([`batch::write`]): a handful of
//! statements per chunk instead of four or more per entry, measured by the ingest benchmark
//! (`scripts/bench/server.sh`). An entry that is refused leaves nothing behind and does not fail
//! the others. Changes are published once their transaction commits. The ack reports each id:
//! `{ok: true, items: [{id, ok: true, status: "created"|"exists"} | {id, ok: false, error}], versions: [...]}`.

use super::handlers::{ack_error, live_session};
use crate::{
    db::Params,
    error::AppError,
    extract::parse_value,
    requests::{PushItem, PushVersion},
    services::{
        AuthCtx, Created,
        batch::{self, Entry, Outcome, Written},
        changes,
    },
    state::AppState,
};
use localful_protocol::{Change, PushAck, PushOutcome, PushStatus, WireItem, WireVersion};
use serde::Deserialize;
use serde_json::Value;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};
use sqlx::Acquire;

/// Entries one push may carry.
const MAX_BATCH: usize = 1000;

/// The envelope of a push: its entries are read one by one, so that each fails alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Push {
    #[serde(default)]
    items: Vec<Value>,
    #[serde(default)]
    versions: Vec<Value>,
}

/// Entries written in one transaction: enough to share the commit's cost, few enough that the
/// (single, on SQLite) connection is not held long from other requests.
const PER_TRANSACTION: usize = 100;

fn outcome(id: String, r: Outcome) -> PushOutcome {
    let (status, error) = match r {
        Ok(Created::New(())) => (Some(PushStatus::Created), None),
        Ok(Created::Existing(())) => (Some(PushStatus::Exists), None),
        Err(e) => (None, Some(e.body())),
    };
    PushOutcome { ok: error.is_none(), error, id, status }
}

/// The `id` of a raw entry as the ack names it: canonical when it is a UUID, as sent otherwise,
/// empty when it is not a string.
fn id_of(v: &Value) -> String {
    let raw = v.get("id").and_then(Value::as_str).unwrap_or_default();
    uuid::Uuid::parse_str(raw).map_or_else(|_| raw.to_owned(), |u| u.hyphenated().to_string())
}

fn parse_item(raw: Value) -> Result<Entry, AppError> {
    let p: PushItem = parse_value(raw)?;
    Ok(Entry::Item(WireItem {
        id: p.id,
        vault_id: p.vault_id,
        collection: p.collection.into_string(),
        created_at: p.created_at,
        deleted_at: p.deleted_at,
    }))
}

fn parse_version(raw: Value) -> Result<Entry, AppError> {
    let p: PushVersion = parse_value(raw)?;
    Ok(Entry::Version(WireVersion {
        id: p.id,
        item_id: p.item_id,
        protected_data: p.protected_data.map(|d| d.into_string()),
        device_name: p.device_name.into_string(),
        schema_version: p.schema_version,
        created_at: p.created_at,
        deleted_at: p.deleted_at,
    }))
}

/// What became of each entry of a chunk, and the changes to publish once it committed.
type ChunkWritten = (Vec<Outcome>, Vec<Change>);

/// Writes `entries` in one transaction, without savepoints: `None` if an entry failed, the
/// transaction then rolled back. A lone entry's failure is its outcome.
async fn write_all(state: &AppState, auth: &AuthCtx, entries: &[Entry]) -> Result<Option<ChunkWritten>, AppError> {
    let mut tx = state.pool.begin().await?;
    let (mut outcomes, mut pending) = (Vec::with_capacity(entries.len()), Vec::new());
    for entry in entries {
        match batch::create_in(&mut tx, state, auth, entry.clone()).await {
            Ok((created, changes)) => {
                outcomes.push(Ok(created));
                pending.extend(changes);
            }
            Err(e) => {
                tx.rollback().await?;
                return Ok((entries.len() == 1).then(|| (vec![Err(e)], Vec::new())));
            }
        }
    }
    tx.commit().await?;
    Ok(Some((outcomes, pending)))
}

/// Writes `entries` in one transaction, each in a savepoint rolled back if the entry fails.
async fn write_each_in_savepoint(state: &AppState, auth: &AuthCtx, entries: Vec<Entry>) -> Result<ChunkWritten, AppError> {
    let mut tx = state.pool.begin().await?;
    let (mut outcomes, mut pending) = (Vec::with_capacity(entries.len()), Vec::new());
    for entry in entries {
        let mut savepoint = tx.begin().await?;
        match batch::create_in(&mut savepoint, state, auth, entry).await {
            Ok((created, changes)) => {
                savepoint.commit().await?;
                outcomes.push(Ok(created));
                pending.extend(changes);
            }
            Err(e) => {
                savepoint.rollback().await?;
                outcomes.push(Err(e));
            }
        }
    }
    tx.commit().await?;
    Ok((outcomes, pending))
}

/// Writes `entries` in one transaction and publishes their changes once it commits: each entry's
/// outcome, in order.
///
/// A chunk of several entries is written as a batch ([`batch::write`]). Should that fail as a
/// whole — an error of the database, such as a Postgres deadlock with a writer of the per-entry
/// path (batched writers lock the vaults of a chunk in id order, so two of them queue instead),
/// or another writer storing one of the ids between the chunk's reads and its writes — the chunk
/// is written entry by entry: all in one transaction; if an entry fails, again with a savepoint
/// per entry; if that transaction fails as a whole (its begin, a savepoint or its commit), one
/// transaction each.
async fn write_chunk(state: &AppState, auth: &AuthCtx, entries: Vec<Entry>) -> Vec<Outcome> {
    // A lone entry: the per-entry path makes fewer statements (no reads for a plan).
    if entries.len() == 1 {
        return write_alone(state, auth, &entries[0]).await;
    }
    match batch::write(state, auth, &entries, Params::of(state.dialect)).await {
        Ok(Some(Written { outcomes, pending })) => {
            changes::publish_all(state, auth, pending).await;
            return outcomes;
        }
        Ok(None) => tracing::debug!(entries = entries.len(), "a push chunk met a concurrent writer; writing it entry by entry"),
        Err(e) => tracing::warn!(error = %e, entries = entries.len(), "a batched push chunk failed; writing it entry by entry"),
    }
    let written = match write_all(state, auth, &entries).await {
        Ok(Some(done)) => Ok(done),
        Ok(None) => write_each_in_savepoint(state, auth, entries.clone()).await,
        Err(e) => Err(e),
    };
    match written {
        Ok((outcomes, pending)) => {
            changes::publish_all(state, auth, pending).await;
            outcomes
        }
        Err(e) => {
            tracing::warn!(error = %e, entries = entries.len(), "a push chunk failed as a whole; writing its entries one by one");
            let mut outcomes = Vec::with_capacity(entries.len());
            for entry in &entries {
                outcomes.extend(write_alone(state, auth, entry).await);
            }
            outcomes
        }
    }
}

/// Writes `entry` in a transaction of its own and publishes its changes once it commits.
async fn write_alone(state: &AppState, auth: &AuthCtx, entry: &Entry) -> Vec<Outcome> {
    match write_all(state, auth, std::slice::from_ref(entry)).await {
        Ok(Some((outcomes, pending))) => {
            changes::publish_all(state, auth, pending).await;
            outcomes
        }
        Ok(None) => vec![Err(AppError::unexpected("a lone push entry failed without its error"))],
        Err(e) => vec![Err(e)],
    }
}

/// The `push` event handler.
pub(super) async fn push(s: SocketRef, State(state): State<AppState>, TryData(data): TryData<Value>, ack: AckSender) {
    let Some(session) = live_session(&s, &state).await else {
        return;
    };
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
    let n_items = batch.items.len();
    // Every entry's id and validation first; the valid ones are written in order, items first.
    let parsed: Vec<(String, Result<Entry, AppError>)> = batch
        .items
        .into_iter()
        .map(|raw| (id_of(&raw), parse_item(raw)))
        .chain(batch.versions.into_iter().map(|raw| (id_of(&raw), parse_version(raw))))
        .collect();
    let mut results: Vec<Option<Outcome>> = Vec::with_capacity(parsed.len());
    let mut valid = Vec::new();
    let mut ids = Vec::with_capacity(parsed.len());
    for (i, (id, entry)) in parsed.into_iter().enumerate() {
        ids.push(id);
        match entry {
            Ok(entry) => {
                valid.push((i, entry));
                results.push(None);
            }
            Err(e) => results.push(Some(Err(e))),
        }
    }
    let mut valid = valid.into_iter().peekable();
    while valid.peek().is_some() {
        let (at, chunk): (Vec<usize>, Vec<Entry>) = valid.by_ref().take(PER_TRANSACTION).unzip();
        for (i, r) in at.into_iter().zip(write_chunk(&state, &session.auth, chunk).await) {
            results[i] = Some(r);
        }
    }
    let mut items: Vec<PushOutcome> = ids
        .into_iter()
        .zip(results)
        .map(|(id, r)| outcome(id, r.unwrap_or_else(|| Err(AppError::unexpected("a push entry was left unwritten")))))
        .collect();
    let versions = items.split_off(n_items);
    let _ = ack.send(&PushAck { error: None, items, ok: true, versions });
}
