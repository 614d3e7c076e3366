//! `push {items, versions}`: a batch of creates and deletions, idempotent by client id.
//!
//! Items are applied before versions (a version may name an item of the same batch). Entries are
//! written [`PER_TRANSACTION`] to a transaction: one commit (one fsync on SQLite) per chunk
//! instead of one per entry, measured by the ingest benchmark (`benches/README.md`). An entry
//! that fails leaves nothing behind and does not fail the others: the chunk is then written
//! again with a savepoint per entry. Changes are published once their transaction commits.
//! The ack reports each id:
//! `{ok: true, items: [{id, ok: true, status: "created"|"exists"} | {id, ok: false, error}], versions: [...]}`.

use super::handlers::{ack_error, live_session};
use crate::{
    error::AppError,
    extract::parse_value,
    requests::{PushItem, PushVersion},
    services::{self, AuthCtx, Created, changes},
    state::AppState,
};
use localful_protocol::{Change, PushAck, PushOutcome, PushStatus, WireItem, WireVersion};
use serde::Deserialize;
use serde_json::Value;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};
use sqlx::{Acquire, AnyConnection};

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

/// A push entry that passed validation.
#[derive(Clone)]
enum Entry {
    Item(WireItem),
    Version(WireVersion),
}

fn outcome(id: String, r: Result<Created<()>, AppError>) -> PushOutcome {
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

/// An entry written: whether it was new, and the changes to publish once its transaction commits.
type Written = Result<(Created<()>, Vec<Change>), AppError>;

/// Writes `entry` inside `c`'s transaction.
async fn write(c: &mut AnyConnection, state: &AppState, auth: &AuthCtx, entry: Entry) -> Written {
    fn unit<T>(created: Created<T>) -> Created<()> {
        match created {
            Created::New(_) => Created::New(()),
            Created::Existing(_) => Created::Existing(()),
        }
    }
    match entry {
        Entry::Item(item) => services::items::create_in(c, state, auth, item).await.map(|(r, p)| (unit(r), p)),
        Entry::Version(version) => services::versions::create_in(c, state, auth, version).await.map(|(r, p)| (unit(r), p)),
    }
}

/// What became of each entry of a chunk, and the changes to publish once it committed.
type ChunkWritten = (Vec<Result<Created<()>, AppError>>, Vec<Change>);

/// Writes `entries` in one transaction, without savepoints (most pushes have no failing entry):
/// `None` if an entry failed, the transaction then rolled back. A lone entry's failure is its
/// outcome.
async fn write_all(state: &AppState, auth: &AuthCtx, entries: &[Entry]) -> Result<Option<ChunkWritten>, AppError> {
    let mut tx = state.pool.begin().await?;
    let (mut outcomes, mut pending) = (Vec::with_capacity(entries.len()), Vec::new());
    for entry in entries {
        match write(&mut tx, state, auth, entry.clone()).await {
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
        match write(&mut savepoint, state, auth, entry).await {
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
/// outcome, in order. First all together; if one fails, the transaction is rolled back and the
/// chunk written again with a savepoint per entry (two statements more per entry, paid only
/// then; it also retries an entry whose statement failed for a reason of the moment, such as a
/// Postgres deadlock between two chunks taking the `seq` rows of the same vaults in opposite
/// orders). If the chunk's transaction fails as a whole (its begin, a savepoint or its commit),
/// its entries are written one transaction each, as before chunks existed.
async fn write_chunk(state: &AppState, auth: &AuthCtx, entries: Vec<Entry>) -> Vec<Result<Created<()>, AppError>> {
    if entries.len() == 1 {
        return write_alone(state, auth, &entries[0]).await;
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
async fn write_alone(state: &AppState, auth: &AuthCtx, entry: &Entry) -> Vec<Result<Created<()>, AppError>> {
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
    let mut results: Vec<Option<Result<Created<()>, AppError>>> = Vec::with_capacity(parsed.len());
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
