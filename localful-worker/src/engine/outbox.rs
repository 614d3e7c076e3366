//! Keeping a vault's outbox up to date without reading it: the entries a local write's change
//! event lists, and those an ack left pending, are merged into the snapshot the sync machine holds.
//!
//! Merging only adds: an entry leaves the machine's outbox when the server acks it, and nowhere
//! else, so the order in which merges arrive does not matter (two tabs' events may cross on the
//! channel). An entry merged after the ack that cleared it (an event read late) is pushed once more,
//! which the server answers with the same ack.

use localful_core::sync::Pending;

/// `outbox` with `more` merged in: an entry not in it is added at the end; one in it with the
/// other deletion state becomes deleted (deletion is monotonic: the entity is pushed as a
/// deletion). `None` when that changes nothing.
pub(super) fn merged(outbox: &[Pending], more: &[Pending]) -> Option<Vec<Pending>> {
    let mut out = outbox.to_vec();
    let mut changed = false;
    for p in more {
        match out.iter_mut().find(|q| q.entry == p.entry) {
            Some(q) if p.deleted && !q.deleted => {
                q.deleted = true;
                changed = true;
            }
            Some(_) => {}
            None => {
                out.push(*p);
                changed = true;
            }
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::merged;
    use localful_core::store::OutboxEntry;
    use localful_core::sync::Pending;
    use localful_core::{ItemId, VersionId};

    fn item(id: ItemId, deleted: bool) -> Pending {
        Pending { entry: OutboxEntry::Item(id), deleted }
    }

    fn version(id: ItemId, v: VersionId, deleted: bool) -> Pending {
        Pending { entry: OutboxEntry::Version(id, v), deleted }
    }

    #[test]
    fn new_entries_are_added_after_the_known_ones() {
        let (a, b, v) = (ItemId::new(), ItemId::new(), VersionId::new());
        let known = vec![item(a, false)];
        assert_eq!(merged(&known, &[version(b, v, false), item(b, false)]), Some(vec![item(a, false), version(b, v, false), item(b, false)]));
        assert_eq!(merged(&[], &[item(a, false)]), Some(vec![item(a, false)]));
    }

    #[test]
    fn entries_already_known_change_nothing() {
        let (a, v) = (ItemId::new(), VersionId::new());
        let known = vec![item(a, false), version(a, v, true)];
        assert_eq!(merged(&known, &[item(a, false), version(a, v, true)]), None);
        assert_eq!(merged(&known, &[]), None);
        // Twice in one event (two writes of a burst) is one entry.
        assert_eq!(merged(&[], &[item(a, false), item(a, false)]), Some(vec![item(a, false)]));
    }

    #[test]
    fn a_deletion_replaces_the_live_entry_in_place_and_is_never_undone() {
        let (a, v, w) = (ItemId::new(), VersionId::new(), VersionId::new());
        let known = vec![version(a, v, false), version(a, w, false)];
        assert_eq!(merged(&known, &[version(a, v, true)]), Some(vec![version(a, v, true), version(a, w, false)]));
        // An older view (an event read after the deletion's, or an ack's remainder) keeps the deletion.
        let deleted = vec![version(a, v, true)];
        assert_eq!(merged(&deleted, &[version(a, v, false)]), None);
    }

    #[test]
    fn merging_is_order_insensitive() {
        let (a, b, v) = (ItemId::new(), ItemId::new(), VersionId::new());
        let first = [item(a, false), version(a, v, false)];
        let second = [version(a, v, true), item(b, false)];
        let merge = |outbox: Vec<Pending>, more: &[Pending]| merged(&outbox, more).unwrap_or(outbox);
        let one = merge(merge(Vec::new(), &first), &second);
        let two = merge(merge(Vec::new(), &second), &first);
        let sorted = |mut l: Vec<Pending>| {
            l.sort_by_key(|p| format!("{p:?}"));
            l
        };
        assert_eq!(sorted(one), sorted(two));
    }
}
