//! A chunk of a push written with checks per batch and multi-row statements.
//!
//! In the chunk's transaction, one statement reads what the entries need ([`db::chunk::read`];
//! three when their ids pass the parameter limit): the items they name (an item entry's id, a
//! version's `itemId`), the vaults of those items that the caller owns (their last seq and byte
//! usage; on Postgres their rows locked, in id order) and the versions already stored under the
//! entries' ids. Each entry's outcome is then decided in memory, in order, as
//! [`super::items::create_in`] and [`super::versions::create_in`] decide it one by one (a version
//! may name an item of the same chunk; an id repeated in the chunk is `Existing` the second
//! time). The new rows, their log entries (seqs counted on from each vault's last) and each
//! vault's new last seq and usage are written with one multi-row `INSERT` per table and one
//! `UPDATE` per vault on SQLite, with one statement on Postgres ([`db::chunk::write`]). A refused
//! entry is left out (nothing of it is written) and the others are stored.
//!
//! An entry that changes a stored row (a tombstone for a live item, a deletion for a live
//! version) is written by the per-entry path, in a savepoint, after what precedes it: its effect
//! on the state read above is applied and what follows is batched again.

use super::{AuthCtx, Created, changes::{self, Entity}, items, versions};
use crate::{
    db::{self, Params, changes::{LogRow, Subject}, items::ItemState, vaults::VaultUsage, versions::VersionState},
    error::{AppError, AppResult},
    model::VersionRow,
    state::AppState,
};
use localful_protocol::{Change, ChangeKind, ItemId, Timestamp, VaultId, VersionId, WireItem, WireVersion};
use sqlx::{AnyConnection, Connection};
use std::collections::{BTreeMap, HashMap};

/// A push entry that passed validation.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    Item(WireItem),
    Version(WireVersion),
}

/// What became of one entry.
pub(crate) type Outcome = Result<Created<()>, AppError>;

/// What a chunk's write did: each entry's outcome, in order, and the changes to publish once its
/// transaction committed.
pub(crate) struct Written {
    pub(crate) outcomes: Vec<Outcome>,
    pub(crate) pending: Vec<Change>,
}

fn unit<T>(created: Created<T>) -> Created<()> {
    match created {
        Created::New(_) => Created::New(()),
        Created::Existing(_) => Created::Existing(()),
    }
}

/// Writes `entry` alone inside `c`'s transaction (the per-entry path); returns the changes to
/// publish once it commits. On an error the caller must roll back what this wrote.
pub(crate) async fn create_in(c: &mut AnyConnection, state: &AppState, auth: &AuthCtx, entry: Entry) -> AppResult<(Created<()>, Vec<Change>)> {
    match entry {
        Entry::Item(item) => items::create_in(c, state, auth, item).await.map(|(r, p)| (unit(r), p)),
        Entry::Version(version) => versions::create_in(c, state, auth, version).await.map(|(r, p)| (unit(r), p)),
    }
}

/// Writes `entries` in one transaction, with the placeholders and parameter limit of `params`.
/// `None`: the database did not hold what was read for the plan when the writes came (another
/// writer stored one of the ids, or changed a vault's usage, in between); the transaction was
/// rolled back and the caller writes the entries one by one. An error of the database rolls back
/// the transaction too.
pub(crate) async fn write(state: &AppState, auth: &AuthCtx, entries: &[Entry], params: Params) -> AppResult<Option<Written>> {
    let mut tx = state.pool.begin().await?;
    match write_in(&mut tx, state, auth, entries, params).await {
        Ok(Some(written)) => {
            tx.commit().await?;
            Ok(Some(written))
        }
        Ok(None) => {
            tx.rollback().await?;
            Ok(None)
        }
        Err(e) => {
            // Dropping the transaction would roll it back too; its own error is not this one's.
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

/// What the chunk's transaction knows of the database, kept up to date with what it writes.
struct Known {
    /// The items the entries name (an item entry's id, a version's `itemId`) that exist, whoever
    /// owns them, and those the chunk creates.
    items: HashMap<ItemId, ItemState>,
    /// The caller's vaults among those of `items` and of the item entries: their last seq as
    /// written so far, and their byte usage with the current run's new versions counted.
    vaults: HashMap<VaultId, VaultUsage>,
    /// The versions stored under the entries' ids, and those the chunk creates.
    versions: HashMap<VersionId, VersionState>,
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort_unstable();
    v.dedup();
    v
}

/// One statement ([`db::chunk::read`]), or three when the entries' ids pass the parameter limit.
async fn read_known(c: &mut AnyConnection, auth: &AuthCtx, entries: &[Entry], params: Params) -> AppResult<Known> {
    let item_ids = sorted(entries.iter().map(|e| match e {
        Entry::Item(i) => i.id,
        Entry::Version(v) => v.item_id,
    }).collect());
    let version_ids = sorted(entries.iter().filter_map(|e| match e {
        Entry::Item(_) => None,
        Entry::Version(v) => Some(v.id),
    }).collect());
    let named_vaults = sorted(entries.iter().filter_map(|e| match e {
        Entry::Item(i) => Some(i.vault_id),
        Entry::Version(_) => None,
    }).collect());
    if let Some(rows) = db::chunk::read(c, params, auth.user_id, &named_vaults, &item_ids, &version_ids).await? {
        return Ok(Known {
            items: rows.items.into_iter().collect(),
            vaults: rows.vaults.into_iter().collect(),
            versions: rows.versions.into_iter().collect(),
        });
    }
    let items: HashMap<ItemId, ItemState> = db::items::states(c, &item_ids, params).await?.into_iter().collect();
    let vault_ids = sorted(named_vaults.into_iter().chain(items.values().map(|s| s.vault_id)).collect());
    let vaults = db::vaults::lock_owned(c, params, auth.user_id, &vault_ids).await?.into_iter().collect();
    let versions = db::versions::states(c, &version_ids, params).await?.into_iter().collect();
    Ok(Known { items, vaults, versions })
}

/// The new rows of consecutive entries, written together by [`flush`].
#[derive(Default)]
struct Run<'a> {
    items: Vec<&'a WireItem>,
    /// Each new version as stored, with its byte count.
    versions: Vec<(VersionRow, i64)>,
    /// The log entries, in entry order: the vault, the kind and the new row (an index into
    /// `items` or `versions`) the entry is about. Their seqs are taken when they are written.
    log: Vec<(VaultId, ChangeKind, Subject)>,
}

/// What planning an entry decided.
enum Plan {
    /// Its outcome; if new, its rows are in the run.
    Done(Outcome),
    /// It changes a stored row: written by the per-entry path.
    PerEntry,
}

/// Decides `entry`'s outcome against `known` (updated with what the entry will write) and adds
/// its new rows to `run`: the checks and order of [`super::items::create_in`] and
/// [`super::versions::create_in`].
fn plan<'a>(state: &AppState, known: &mut Known, run: &mut Run<'a>, entry: &'a Entry) -> Plan {
    match entry {
        Entry::Item(item) => {
            if !known.vaults.contains_key(&item.vault_id) {
                return Plan::Done(Err(super::vault_not_found()));
            }
            match known.items.get(&item.id) {
                None => {
                    known.items.insert(item.id, ItemState { vault_id: item.vault_id, deleted_at: item.deleted_at });
                    run.log.push((item.vault_id, ChangeKind::ItemCreate, Subject::Item(item.id)));
                    run.items.push(item);
                    Plan::Done(Ok(Created::New(())))
                }
                Some(s) if s.vault_id == item.vault_id => {
                    if item.deleted_at.is_some() && s.deleted_at.is_none() { Plan::PerEntry } else { Plan::Done(Ok(Created::Existing(()))) }
                }
                Some(_) => Plan::Done(Err(items::taken())),
            }
        }
        Entry::Version(version) => {
            if version.protected_data.as_ref().map_or(0, |d| d.len()) as u64 > state.config.max_version_bytes {
                return Plan::Done(Err(versions::too_big(state)));
            }
            let Some(item) = known.items.get(&version.item_id).copied().filter(|s| known.vaults.contains_key(&s.vault_id)) else {
                return Plan::Done(Err(versions::not_your_item()));
            };
            match known.versions.get(&version.id) {
                Some(s) if s.item_id == version.item_id => {
                    if version.deleted_at.is_some() && !s.deleted { Plan::PerEntry } else { Plan::Done(Ok(Created::Existing(()))) }
                }
                Some(_) => Plan::Done(Err(versions::taken())),
                None => {
                    let row = match versions::as_stored(VersionRow { vault_id: item.vault_id, version: version.clone() }, item.deleted_at) {
                        Ok(row) => row,
                        Err(refused) => return Plan::Done(Err(refused)),
                    };
                    let bytes = row.version.protected_data.as_ref().map_or(0, |d| d.len()) as i64;
                    let Some(vault) = known.vaults.get_mut(&item.vault_id) else {
                        return Plan::Done(Err(versions::not_your_item()));
                    };
                    if bytes > 0 && vault.used_bytes.saturating_add(bytes) > changes::max_vault_bytes(state) {
                        return Plan::Done(Err(changes::vault_full(state)));
                    }
                    vault.used_bytes += bytes;
                    let deleted = row.version.deleted_at.is_some();
                    known.versions.insert(version.id, VersionState { item_id: version.item_id, deleted });
                    let event = if deleted { ChangeKind::VersionDelete } else { ChangeKind::VersionCreate };
                    run.log.push((item.vault_id, event, Subject::Version(version.id)));
                    run.versions.push((row, bytes));
                    Plan::Done(Ok(Created::New(())))
                }
            }
        }
    }
}

async fn write_in(c: &mut AnyConnection, state: &AppState, auth: &AuthCtx, entries: &[Entry], params: Params) -> AppResult<Option<Written>> {
    let mut known = read_known(c, auth, entries, params).await?;
    let (mut outcomes, mut pending) = (Vec::with_capacity(entries.len()), Vec::new());
    let mut run = Run::default();
    for entry in entries {
        match plan(state, &mut known, &mut run, entry) {
            Plan::Done(outcome) => outcomes.push(outcome),
            Plan::PerEntry => {
                if !flush(c, &mut known, std::mem::take(&mut run), params, &mut pending).await? {
                    return Ok(None);
                }
                outcomes.push(per_entry(c, state, auth, &mut known, entry, params, &mut pending).await?);
            }
        }
    }
    if !flush(c, &mut known, run, params, &mut pending).await? {
        return Ok(None);
    }
    Ok(Some(Written { outcomes, pending }))
}

/// Writes `entry` by the per-entry path in a savepoint (rolled back if it fails: the outcome is
/// then its error) and applies its effect to `known`: the item's tombstone (which deletes all
/// its versions) or the version's deletion, and the vault's last seq and usage as they now stand.
async fn per_entry(
    c: &mut AnyConnection,
    state: &AppState,
    auth: &AuthCtx,
    known: &mut Known,
    entry: &Entry,
    params: Params,
    pending: &mut Vec<Change>,
) -> AppResult<Outcome> {
    let mut savepoint = c.begin().await?;
    let written = create_in(&mut savepoint, state, auth, entry.clone()).await;
    let (created, changes) = match written {
        Ok(done) => {
            savepoint.commit().await?;
            done
        }
        Err(e) => {
            savepoint.rollback().await?;
            return Ok(Err(e));
        }
    };
    pending.extend(changes);
    let vault = match entry {
        Entry::Item(item) => {
            if let Some(s) = known.items.get_mut(&item.id) {
                s.deleted_at = s.deleted_at.or(item.deleted_at);
            }
            for v in known.versions.values_mut().filter(|v| v.item_id == item.id) {
                v.deleted = true;
            }
            Some(item.vault_id)
        }
        Entry::Version(version) => {
            if let Some(s) = known.versions.get_mut(&version.id) {
                s.deleted = true;
            }
            known.items.get(&version.item_id).map(|s| s.vault_id)
        }
    };
    if let Some(vault) = vault {
        for (id, used) in db::vaults::lock_owned(c, params, auth.user_id, &[vault]).await? {
            known.vaults.insert(id, used);
        }
    }
    Ok(Ok(created))
}

/// Writes `run`: its new items and versions, its log entries (their seqs follow each vault's
/// last) and each vault's new last seq and usage — on Postgres in one statement, on SQLite one per
/// table — and adds the entries' wire form to `pending`. `false` if the database did not take
/// the rows as planned (see [`write`]).
async fn flush(c: &mut AnyConnection, known: &mut Known, run: Run<'_>, params: Params, pending: &mut Vec<Change>) -> AppResult<bool> {
    if run.log.is_empty() {
        return Ok(true);
    }
    let bytes: HashMap<VersionId, i64> = run.versions.iter().map(|(row, bytes)| (row.version.id, *bytes)).collect();
    // Each vault's count of new seqs and bytes, in id order.
    let mut per_vault: BTreeMap<VaultId, (u64, i64)> = BTreeMap::new();
    for (vault, _, subject) in &run.log {
        let (n, b) = per_vault.entry(*vault).or_default();
        *n += 1;
        if let Subject::Version(id) = subject {
            *b += bytes.get(id).copied().unwrap_or(0);
        }
    }
    let mut next_seq: HashMap<VaultId, u64> =
        per_vault.keys().map(|v| (*v, known.vaults.get(v).map_or(0, |u| u.last_seq) + 1)).collect();
    let now = Timestamp::now();
    let log: Vec<LogRow> = run
        .log
        .iter()
        .map(|(vault, event, subject)| {
            let next = next_seq.entry(*vault).or_default();
            let seq = *next;
            *next += 1;
            LogRow { vault_id: *vault, seq, event: *event, subject: *subject, created_at: now }
        })
        .collect();
    // What each vault must hold after the writes: its usage is already counted in `known`.
    let mut expected = Vec::with_capacity(per_vault.len());
    for (vault, (n, _)) in &per_vault {
        let Some(usage) = known.vaults.get_mut(vault) else { return Ok(false) };
        usage.last_seq += n;
        expected.push((*vault, *usage));
    }
    let rows: Vec<(&VersionRow, i64)> = run.versions.iter().map(|(row, bytes)| (row, *bytes)).collect();
    let vaults: Vec<(VaultId, u64, i64)> = per_vault.iter().map(|(v, (n, b))| (*v, *n, *b)).collect();
    let as_planned = match db::chunk::write(c, params, &run.items, &rows, &log, &vaults).await? {
        Some(mut done) => {
            done.vaults.sort_unstable_by_key(|(id, _)| *id);
            done.items == run.items.len() as u64 && done.versions == rows.len() as u64 && done.vaults == expected
        }
        None => {
            if db::items::insert_many(c, &run.items, params).await? != run.items.len() as u64
                || db::versions::insert_many(c, &rows, params).await? != rows.len() as u64
            {
                return Ok(false);
            }
            for (vault, n, b) in &vaults {
                let (last_seq, used_bytes) = db::vaults::take_seqs(c, *vault, *n, *b).await?;
                if !expected.contains(&(*vault, VaultUsage { last_seq, used_bytes })) {
                    return Ok(false);
                }
            }
            db::changes::insert_many(c, &log, params).await?;
            true
        }
    };
    if !as_planned {
        return Ok(false);
    }
    let items: HashMap<ItemId, &WireItem> = run.items.iter().map(|i| (i.id, *i)).collect();
    let versions: HashMap<VersionId, &WireVersion> = run.versions.iter().map(|(row, _)| (row.version.id, &row.version)).collect();
    pending.extend(log.iter().map(|change| {
        let entity = match change.subject {
            Subject::Item(id) => items.get(&id).map(|i| Entity::Item(i)),
            Subject::Version(id) => versions.get(&id).map(|v| Entity::Version(v)),
        };
        changes::entry(change, entity)
    }));
    Ok(true)
}
