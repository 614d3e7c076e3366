//! Listings: `{meta: {results, total, limit, offset}, results: [...]}`.

use serde::{Deserialize, Serialize};

/// `meta` of a listing; `latestSeq` only on `/changes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingMeta {
    /// Results in this page.
    pub results: u64,
    /// Results in total.
    pub total: u64,
    /// The page size.
    pub limit: u64,
    /// The page offset.
    pub offset: u64,
    /// The vault's latest `seq` (on `/changes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_seq: Option<u64>,
}

/// A page of results of any `GET` of a collection of resources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing<T> {
    /// Paging (and `latestSeq` on `/changes`).
    pub meta: ListingMeta,
    /// The page's resources, in order.
    pub results: Vec<T>,
}

impl<T> Listing<T> {
    /// The page `results` of `total` resources, asked for with `limit` and `offset`.
    pub fn page(results: Vec<T>, total: u64, limit: u64, offset: u64) -> Self {
        let meta = ListingMeta { results: results.len() as u64, total, limit, offset, latest_seq: None };
        Self { meta, results }
    }
}

impl<T> Default for Listing<T> {
    fn default() -> Self {
        Self { meta: ListingMeta::default(), results: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_seq_appears_only_when_known() {
        let plain = Listing::page(vec![1, 2], 5, 2, 0);
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            r#"{"meta":{"results":2,"total":5,"limit":2,"offset":0},"results":[1,2]}"#
        );
        let mut changes = Listing::<u8>::page(vec![], 0, 100, 0);
        changes.meta.latest_seq = Some(7);
        assert_eq!(
            serde_json::to_string(&changes).unwrap(),
            r#"{"meta":{"results":0,"total":0,"limit":100,"offset":0,"latestSeq":7},"results":[]}"#
        );
    }
}
