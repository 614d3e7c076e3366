//! Query stages 1 and 2 on IndexedDB ([`Store::scan`](crate::store::Store::scan)): the item rows
//! of an index range (or all of them) that pass the row filter; and, for a small result, the
//! current versions read in the same transaction
//! ([`Store::scan_with_versions`](crate::store::Store::scan_with_versions)): the browser
//! benchmark's indexed query (100 of 10 000) spent most of its time idle between the scan's
//! transaction and the version reads' one. Item rows hold their current version (row format 3,
//! [`rows::Inline`]), so for rows written by this release the scan has read them already; only
//! those of earlier formats are read from the `versions` store.

use super::error::from_idb;
use super::layout::{self, ITEMS, VERSIONS};
use super::{IndexedDbStore, batch, rows};
use crate::model::{VaultId, Version};
use crate::store::{IndexRange, RowFilter, ScanOutcome, StoreError};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use std::collections::BTreeSet;
use wasm_bindgen::JsValue;

impl IndexedDbStore {
    pub(super) async fn scan_rows(
        &self,
        vault: VaultId,
        collection: &str,
        range: Option<&IndexRange>,
        filter: RowFilter<'_>,
    ) -> Result<ScanOutcome, StoreError> {
        let (conn, _) = self.vault(vault).await?;
        let tx = conn.db.transaction(ITEMS).build().map_err(from_idb)?;
        let items = tx.object_store(ITEMS).map_err(from_idb)?;
        Ok(scan_store(&items, vault, collection, range, filter).await?.0)
    }

    pub(super) async fn scan_rows_with_versions(
        &self,
        vault: VaultId,
        collection: &str,
        range: Option<&IndexRange>,
        filter: RowFilter<'_>,
        versions_up_to: usize,
    ) -> Result<(ScanOutcome, Option<Vec<Version>>), StoreError> {
        let (conn, _) = self.vault(vault).await?;
        let tx = conn.db.transaction([ITEMS, VERSIONS]).build().map_err(from_idb)?;
        let items = tx.object_store(ITEMS).map_err(from_idb)?;
        let (scanned, raw) = scan_store(&items, vault, collection, range, filter).await?;
        if scanned.items.len() > HELD_UP_TO {
            return Ok((scanned, None));
        }
        let (mut held, mut elsewhere) = (Vec::with_capacity(scanned.items.len()), Vec::new());
        for (row, raw) in scanned.items.iter().zip(&raw) {
            let Some(current) = row.item.current_version_id else { continue };
            match rows::Inline::in_row(raw)?.filter(|inline| inline.id == current) {
                Some(inline) => held.push((row.item.id, inline)),
                None => elsewhere.push(rows::version_key(row.item.id, current)),
            }
        }
        if elsewhere.len() > versions_up_to {
            return Ok((scanned, None));
        }
        // Decoded only now that they are returned.
        let mut out = held.iter().map(|(item, inline)| inline.version(*item)).collect::<Result<Vec<Version>, _>>()?;
        if !elsewhere.is_empty() {
            // Still inside the scan's transaction, the gets issued together (see `batch`).
            let versions = tx.object_store(VERSIONS).map_err(from_idb)?;
            for found in batch::get_many(&versions, elsewhere).await?.iter().filter(|r| !r.is_undefined()) {
                out.push(rows::version(found)?);
            }
        }
        Ok((scanned, Some(out)))
    }
}

/// Up to this many candidates, [`IndexedDbStore::scan_rows_with_versions`] returns the current
/// versions their rows hold, whatever `versions_up_to` says (which bounds the versions read from
/// the `versions` store): they are read already. More than this are left to the caller to read in
/// batches, so that a query over a large collection does not hold every version's data at once
/// (16 384 notes of 1 KiB are about 25 MB of encrypted text).
const HELD_UP_TO: usize = 16_384;

/// Stages 1 and 2 over the `items` store of a transaction, with the raw row of each item passed
/// (in the order of the outcome's items).
async fn scan_store(
    store: &ObjectStore<'_>,
    vault: VaultId,
    collection: &str,
    range: Option<&IndexRange>,
    filter: RowFilter<'_>,
) -> Result<(ScanOutcome, Vec<JsValue>), StoreError> {
    let key_range = range.and_then(rows::key_range);
    let raw: Vec<JsValue> = match (range, key_range) {
        (Some(r), Some(key_range)) => {
            let index = store.index(&layout::field_index(collection, &r.field).name).map_err(from_idb)?;
            let found = index.get_all::<JsValue>().with_query::<JsValue, _>(key_range).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
            found.collect::<Result<_, _>>().map_err(from_idb)?
        }
        // A range without a usable key (should not happen: the planner only plans numbers and
        // strings) reads nothing, so that nothing matches rather than everything.
        (Some(_), None) => Vec::new(),
        (None, _) => {
            let found = store.get_all::<JsValue>().primitive().map_err(from_idb)?.await.map_err(from_idb)?;
            found.collect::<Result<_, _>>().map_err(from_idb)?
        }
    };
    let mut out = ScanOutcome::default();
    let mut passed = Vec::new();
    let mut seen = BTreeSet::new();
    for js in raw {
        let row = rows::item(&js, vault)?;
        // A multi-entry index holds an item once per matching array element.
        if !seen.insert(row.item.id) {
            continue;
        }
        out.rows_read += 1;
        if row.item.collection == collection && row.is_visible() && filter(&row) {
            out.items.push(row);
            passed.push(js);
        }
    }
    Ok((out, passed))
}
