//! Running a query: stage 1 and 2 in the store's scan, stage 3 on batches of decrypted data, and
//! on request the exact total (decrypting only the rows whose match the exposed fields cannot
//! decide).

use super::{Cursor, Query, eval};
use crate::codec::{self, Decrypted};
use crate::collection::CollectionDef;
use crate::crypto::Cipher;
use crate::error::Result;
use crate::model::{ItemId, VaultId, Version, VersionId, VersionMeta};
use crate::store::{IndexRange, Store, StoredItem};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// How many current versions stage 3 loads and decrypts at a time when the query can stop early
/// (a limit, with an order known before decryption).
pub const BATCH_SIZE: usize = 32;

/// How many at a time when every candidate is decrypted anyway (no early stop): fewer, larger
/// reads, each a store round trip (in the browser benchmark, 100 candidates in 4 IndexedDB
/// transactions took 2.7× plain JS's one; idle time waiting on IndexedDB dominated the profile).
pub const FULL_BATCH_SIZE: usize = 512;

/// What a query did, to see the stages at work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryStats {
    /// The `Indexed` exposed field whose key range(s) stage 1 read, if any.
    pub index: Option<String>,
    /// Item rows read in stages 1–2.
    pub rows_read: usize,
    /// Rows that passed stage 2 (candidates for stage 3).
    pub candidates: usize,
    /// Versions opened in stage 3 (for the page, and to count rows only decrypted data decides):
    /// decrypted, or taken from the values the vault's handle decrypted before.
    pub decrypted: usize,
}

/// One matching row with its current version and decrypted data.
pub(crate) type Hit = (StoredItem, VersionMeta, Value);

/// A page of matching rows, the total of matches, and where the next page starts.
pub(crate) struct Page {
    /// The page, in the query's order.
    pub(crate) hits: Vec<Hit>,
    /// Every match of the query's conditions (whatever the cursor, offset and limit), when the
    /// query asked for it.
    pub(crate) total: Option<usize>,
    /// The cursor at the page's last hit, when more matches may follow it.
    pub(crate) next: Option<Cursor>,
    pub(crate) stats: QueryStats,
}

pub(crate) async fn run(
    store: &dyn Store,
    cipher: &dyn Cipher,
    decrypted: &Decrypted,
    vault: VaultId,
    def: &CollectionDef,
    query: &Query,
) -> Result<Page> {
    let ranges = eval::index_ranges(query, def);
    let early = eval::orders_before_decryption(query, def);
    let wanted = if early { query.limit.map(|l| query.offset.saturating_add(l)) } else { None };
    let (rows, rows_read, prefetched) = scan(store, vault, def, query, &ranges, wanted.is_none()).await?;
    let stats =
        QueryStats { index: ranges.first().map(|r| r.field.clone()), rows_read, candidates: rows.len(), decrypted: 0 };
    let mut reader = Reader { store, cipher, decrypted, vault, def, prefetched, stats };
    let (hits, total, more) =
        if early { reader.early(query, rows, wanted).await? } else { reader.in_full(query, rows).await? };
    let page: Vec<Hit> = hits.into_iter().skip(query.offset).take(query.limit.unwrap_or(usize::MAX)).collect();
    let next = match (more, page.last()) {
        (true, Some(last)) => {
            let value = order_value(query, def, early, last);
            Some(eval::cursor_at(eval::sort_key(&last.0, value.as_ref())))
        }
        _ => None,
    };
    Ok(Page { hits: page, total, next, stats: reader.stats })
}

/// The order value a hit is sorted by: known before decryption when the query orders early.
fn order_value(query: &Query, def: &CollectionDef, early: bool, hit: &Hit) -> Option<Value> {
    match early {
        true => eval::pre_order_value(query, def, &hit.0),
        false => query.order_by.as_ref().and_then(|(f, _)| eval::full_value(f, &hit.0, &hit.2)),
    }
}

/// Stages 1–2: the candidate rows (from one index range, several merged, or the whole
/// collection), how many rows were read, and — when `prefetch` and one scan returns few enough —
/// their current versions read with them.
async fn scan(
    store: &dyn Store,
    vault: VaultId,
    def: &CollectionDef,
    query: &Query,
    ranges: &[IndexRange],
    prefetch: bool,
) -> Result<(Vec<StoredItem>, usize, Option<Vec<Version>>)> {
    let filter = |row: &StoredItem| eval::pre_filter(query, def, row);
    if ranges.len() <= 1 {
        let range = ranges.first();
        return Ok(if prefetch {
            // With no early stop every candidate is decrypted: up to a batch of them, their
            // versions are read with the scan (one store read instead of two).
            let (scanned, versions) =
                store.scan_with_versions(vault, def.name(), range, &filter, FULL_BATCH_SIZE).await?;
            (scanned.items, scanned.rows_read, versions)
        } else {
            let scanned = store.scan(vault, def.name(), range, &filter).await?;
            (scanned.items, scanned.rows_read, None)
        });
    }
    // Several keys (`In`): an array field's row may sit under more than one of them.
    let (mut rows, mut rows_read, mut seen) = (Vec::new(), 0, HashSet::<ItemId>::new());
    for range in ranges {
        let scanned = store.scan(vault, def.name(), Some(range), &filter).await?;
        rows_read += scanned.rows_read;
        rows.extend(scanned.items.into_iter().filter(|row| seen.insert(row.item.id)));
    }
    // Creation order, as a single scan gives it.
    rows.sort_by(|a, b| eval::compare(&Query::new(), (a, None), (b, None)));
    Ok((rows, rows_read, None))
}

/// Stage 3's reads: current versions in batches, decrypted a batch at a time (one at a time
/// where the query can stop early).
struct Reader<'a> {
    store: &'a dyn Store,
    cipher: &'a dyn Cipher,
    /// Values decrypted before, served without decrypting again.
    decrypted: &'a Decrypted,
    vault: VaultId,
    def: &'a CollectionDef,
    /// The candidates' versions, read with the scan.
    prefetched: Option<Vec<Version>>,
    stats: QueryStats,
}

impl Reader<'_> {
    /// The current versions of `rows`, by id.
    async fn versions(&mut self, rows: &[&StoredItem]) -> Result<BTreeMap<VersionId, Version>> {
        match self.prefetched.take() {
            Some(versions) => Ok(versions.into_iter().map(|v| (v.id, v)).collect()),
            None => read_versions(self.store, self.vault, rows).await,
        }
    }

    /// `row`'s current version and its decrypted data; `None` if it was deleted meanwhile.
    async fn open(
        &mut self,
        row: &StoredItem,
        versions: &BTreeMap<VersionId, Version>,
    ) -> Result<Option<(VersionMeta, Value)>> {
        let Some(version) = row.item.current_version_id.and_then(|id| versions.get(&id)) else {
            return Ok(None); // deleted concurrently
        };
        let Some(meta) = row.version(version.id).cloned() else { return Ok(None) };
        let data = codec::open_cached(self.cipher, self.decrypted, self.def, version).await?;
        self.stats.decrypted += 1;
        Ok(Some((meta, data)))
    }

    /// Every row of `rows` with its current version's decrypted data, handed to `each` (rows
    /// deleted meanwhile left out; not in the rows' order), a batch at a time: each batch's
    /// versions are decrypted together (see [`codec::open_many_cached`]) while the next batch's
    /// are read. The first failure met fails the read.
    async fn open_all(
        &mut self,
        rows: &[&StoredItem],
        mut each: impl FnMut(&StoredItem, VersionMeta, Value),
    ) -> Result<()> {
        // In the items' key order: each batch's versions are then a narrow range of keys, which
        // the IndexedDB store reads in one request.
        let mut rows = rows.to_vec();
        rows.sort_by_key(|row| row.item.id);
        let batches: Vec<&[&StoredItem]> = rows.chunks(FULL_BATCH_SIZE).collect();
        let Some(first) = batches.first() else { return Ok(()) };
        // Read with the scan, the versions may be every batch's (the store holds them with the rows).
        let all_read = self.prefetched.as_ref().is_some_and(|p| p.len() >= rows.len());
        let mut versions = self.versions(first).await?;
        for (i, batch) in batches.iter().enumerate() {
            let next = batches.get(i + 1).filter(|_| !all_read).map(|next| read_versions(self.store, self.vault, next));
            // The read first: its requests are issued before decryption takes this thread.
            let (next, opened) = futures::join!(
                async move {
                    match next {
                        Some(read) => read.await.map(Some),
                        None => Ok(None),
                    }
                },
                open_batch(self.cipher, self.decrypted, self.def, batch, &versions)
            );
            let (opened, decrypted) = opened?;
            self.stats.decrypted += decrypted;
            for (row, found) in batch.iter().zip(opened) {
                if let Some((meta, data)) = found {
                    each(row, meta, data);
                }
            }
            if !all_read {
                versions = next?.unwrap_or_default();
            }
        }
        Ok(())
    }

    /// How many of `rows` match once decrypted (for rows the exposed fields cannot decide).
    async fn count(&mut self, query: &Query, rows: &[&StoredItem]) -> Result<usize> {
        let mut count = 0;
        self.open_all(rows, |row, _, data| count += usize::from(eval::matches(query, row, &data))).await?;
        Ok(count)
    }

    /// The order is known before decryption: sort the rows and decrypt those after the cursor
    /// until `wanted` hits are found. With `count_total`, count the other rows too: those the
    /// exposed fields decide without decrypting them, the others decrypted. Returns the hits
    /// (offset included), the total, and whether matches (may) follow.
    async fn early(
        &mut self,
        query: &Query,
        mut rows: Vec<StoredItem>,
        wanted: Option<usize>,
    ) -> Result<(Vec<Hit>, Option<usize>, bool)> {
        eval::sort_before_decryption(query, self.def, &mut rows);
        let is_after = |row: &StoredItem| {
            let value = eval::pre_order_value(query, self.def, row);
            eval::after_cursor(query, eval::sort_key(row, value.as_ref()))
        };
        let (before, after): (Vec<&StoredItem>, Vec<&StoredItem>) = rows.iter().partition(|row| !is_after(row));
        let full = |hits: &Vec<Hit>| wanted.is_some_and(|w| hits.len() >= w);
        let batch_size = if wanted.is_some() { BATCH_SIZE } else { FULL_BATCH_SIZE };

        let (mut hits, mut done) = (Vec::new(), 0);
        if wanted.is_none() {
            // Every row is decrypted anyway: a batch at a time, then the hits in the rows' order.
            self.open_all(&after, |row, meta, data| {
                if eval::matches(query, row, &data) {
                    hits.push((row.clone(), meta, data));
                }
            })
            .await?;
            hits.sort_by(|a: &Hit, b: &Hit| {
                let (ka, kb) = (eval::pre_order_value(query, self.def, &a.0), eval::pre_order_value(query, self.def, &b.0));
                eval::compare(query, (&a.0, ka.as_ref()), (&b.0, kb.as_ref()))
            });
            done = after.len();
        }
        'batches: for batch in after[done..].chunks(batch_size) {
            if full(&hits) {
                break;
            }
            let versions = self.versions(batch).await?;
            for row in batch {
                done += 1;
                if let Some((meta, data)) = self.open(row, &versions).await?
                    && eval::matches(query, row, &data)
                {
                    hits.push(((*row).clone(), meta, data));
                    if full(&hits) {
                        break 'batches;
                    }
                }
            }
        }
        // The rows not read for the page: before the cursor, and after the page. Those the
        // exposed fields decide are counted without decrypting them.
        let rest = &after[done..];
        let (mut certain, mut more) = (hits.len(), false);
        let (mut undecided_before, mut undecided_rest) = (Vec::new(), Vec::new());
        for (row, in_rest) in before.iter().map(|r| (r, false)).chain(rest.iter().map(|r| (r, true))) {
            match eval::pre_decide(query, self.def, row) {
                Some(true) => {
                    certain += 1;
                    more |= in_rest;
                }
                Some(false) => {}
                None if in_rest => undecided_rest.push(*row),
                None => undecided_before.push(*row),
            }
        }
        if !query.count_total {
            // Whether a row still to come matches would take decrypting it: say "maybe".
            return Ok((hits, None, more || !undecided_rest.is_empty()));
        }
        let counted_before = self.count(query, &undecided_before).await?;
        let counted_rest = self.count(query, &undecided_rest).await?;
        Ok((hits, Some(certain + counted_before + counted_rest), more || counted_rest > 0))
    }

    /// The order needs decrypted data (or there is no early stop): decrypt every candidate, sort
    /// the matches, keep those after the cursor.
    async fn in_full(&mut self, query: &Query, rows: Vec<StoredItem>) -> Result<(Vec<Hit>, Option<usize>, bool)> {
        let mut hits: Vec<Hit> = Vec::new();
        let rows: Vec<&StoredItem> = rows.iter().collect();
        self.open_all(&rows, |row, meta, data| {
            if eval::matches(query, row, &data) {
                hits.push((row.clone(), meta, data));
            }
        })
        .await?;
        let total = query.count_total.then_some(hits.len());
        let key = |h: &Hit| query.order_by.as_ref().and_then(|(f, _)| eval::full_value(f, &h.0, &h.2));
        hits.sort_by(|a, b| eval::compare(query, (&a.0, key(a).as_ref()), (&b.0, key(b).as_ref())));
        hits.retain(|h| eval::after_cursor(query, eval::sort_key(&h.0, key(h).as_ref())));
        let more = query.limit.is_some_and(|limit| hits.len() > query.offset.saturating_add(limit));
        Ok((hits, total, more))
    }
}

/// The current versions of `rows` read from the store, by id.
async fn read_versions(store: &dyn Store, vault: VaultId, rows: &[&StoredItem]) -> Result<BTreeMap<VersionId, Version>> {
    let keys: Vec<_> = rows.iter().filter_map(|r| Some((r.item.id, r.item.current_version_id?))).collect();
    Ok(store.get_versions(vault, &keys).await?.into_iter().map(|v| (v.id, v)).collect())
}

/// Each row of `batch` with its current version's decrypted data (`None`: deleted meanwhile),
/// the versions decrypted together; and how many versions were opened. The first failure, in the
/// batch's order, fails the batch.
async fn open_batch(
    cipher: &dyn Cipher,
    decrypted: &Decrypted,
    def: &CollectionDef,
    batch: &[&StoredItem],
    versions: &BTreeMap<VersionId, Version>,
) -> Result<(Vec<Option<(VersionMeta, Value)>>, usize)> {
    let current: Vec<Option<(&Version, VersionMeta)>> = batch
        .iter()
        .map(|row| {
            let version = row.item.current_version_id.and_then(|id| versions.get(&id))?;
            Some((version, row.version(version.id).cloned()?))
        })
        .collect();
    let to_open: Vec<&Version> = current.iter().flatten().map(|(version, _)| *version).collect();
    let mut opened = codec::open_many_cached(cipher, decrypted, def, &to_open).await.into_iter();
    let rows = current
        .into_iter()
        .map(|found| match found {
            Some((_, meta)) => Ok(Some((meta, opened.next().expect("one result per version")?))),
            None => Ok(None),
        })
        .collect::<Result<_>>()?;
    Ok((rows, to_open.len()))
}
