//! [`Decrypted`]: the decrypted, migrated data of versions, kept for re-reads.
//!
//! A version never changes, so its decrypted value stays valid for as long as the version exists:
//! a live query that re-runs after one write decrypts the new version only. The cache holds at
//! most a budget of plaintext bytes (least recently used first out), is emptied when the vault's
//! key is locked, and is never consulted for a version whose data was deleted (the caller checks
//! the version row, read from the store on every read, first).

use crate::model::VersionId;
use lru::LruCache;
use serde_json::Value;
use std::cell::RefCell;

/// The plaintext a vault's cache holds at most by default (32 MiB: a few times the data of
/// 10 000 typical notes).
pub(crate) const DEFAULT_BUDGET: usize = 32 * 1024 * 1024;

/// Decrypted version data of one unlocked vault, bounded by plaintext size.
pub(crate) struct Decrypted {
    budget: usize,
    inner: RefCell<Inner>,
}

struct Inner {
    entries: LruCache<VersionId, (Value, usize)>,
    bytes: usize,
}

impl Decrypted {
    /// An empty cache holding at most `budget` bytes of plaintext.
    pub(crate) fn new(budget: usize) -> Self {
        Self { budget, inner: RefCell::new(Inner { entries: LruCache::unbounded(), bytes: 0 }) }
    }

    /// The value of version `id`, if kept (it becomes the most recently used).
    pub(crate) fn get(&self, id: VersionId) -> Option<Value> {
        self.inner.borrow_mut().entries.get(&id).map(|(value, _)| value.clone())
    }

    /// Keeps `value`, decrypted from `bytes` bytes of plaintext, as version `id`'s; drops the
    /// least recently used values beyond the budget. A value larger than the budget is not kept.
    pub(crate) fn insert(&self, id: VersionId, value: &Value, bytes: usize) {
        if bytes > self.budget {
            return;
        }
        let mut inner = self.inner.borrow_mut();
        if let Some((_, old)) = inner.entries.put(id, (value.clone(), bytes)) {
            inner.bytes -= old;
        }
        inner.bytes += bytes;
        while inner.bytes > self.budget {
            let Some((_, (_, freed))) = inner.entries.pop_lru() else { break };
            inner.bytes -= freed;
        }
    }

    /// Forgets every value (the key was locked).
    pub(crate) fn clear(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.entries.clear();
        inner.bytes = 0;
    }

    /// How many values and plaintext bytes are kept.
    #[cfg(test)]
    pub(crate) fn usage(&self) -> (usize, usize) {
        let inner = self.inner.borrow();
        (inner.entries.len(), inner.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_values_within_the_budget_dropping_the_least_recently_used() {
        let cache = Decrypted::new(100);
        let (a, b, c) = (VersionId::new(), VersionId::new(), VersionId::new());
        cache.insert(a, &json!("a"), 40);
        cache.insert(b, &json!("b"), 40);
        assert_eq!(cache.get(a), Some(json!("a"))); // a is now the most recently used
        cache.insert(c, &json!("c"), 40);
        assert_eq!(cache.usage(), (2, 80));
        assert_eq!(cache.get(b), None, "the least recently used value stayed beyond the budget");
        assert_eq!(cache.get(a), Some(json!("a")));
        assert_eq!(cache.get(c), Some(json!("c")));
    }

    #[test]
    fn a_value_larger_than_the_budget_is_not_kept_and_evicts_nothing() {
        let cache = Decrypted::new(100);
        let a = VersionId::new();
        cache.insert(a, &json!("a"), 60);
        cache.insert(VersionId::new(), &json!("huge"), 101);
        assert_eq!(cache.usage(), (1, 60));
        assert_eq!(cache.get(a), Some(json!("a")));
    }

    #[test]
    fn the_same_version_again_is_counted_once() {
        let cache = Decrypted::new(100);
        let a = VersionId::new();
        cache.insert(a, &json!("a"), 30);
        cache.insert(a, &json!("a"), 30);
        assert_eq!(cache.usage(), (1, 30));
        cache.clear();
        assert_eq!(cache.usage(), (0, 0));
        assert_eq!(cache.get(a), None);
    }
}
