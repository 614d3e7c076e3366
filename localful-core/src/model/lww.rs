//! Last write wins: which version is current.

use super::VersionMeta;

/// The current version among `versions`: the live one with the greatest `(created_at, id)`.
///
/// Ties on `created_at` are broken by id, so every device picks the same version whatever order
/// the versions arrived in.
///
/// ```
/// use localful_core::{current_version, Timestamp, VersionId, VersionMeta};
/// let at = Timestamp::from_unix_millis(1_000)?;
/// let (a, b) = (VersionId::new(), VersionId::new());
/// let meta = |id| VersionMeta { id, created_at: at, device_name: "d".into(), schema_version: 1, deleted_at: None };
/// let winner = current_version(&[meta(a), meta(b)]).map(|v| v.id);
/// assert_eq!(winner, Some(a.max(b)));
/// # Ok::<(), localful_core::TimestampError>(())
/// ```
pub fn current_version(versions: &[VersionMeta]) -> Option<&VersionMeta> {
    versions.iter().filter(|v| v.is_live()).max_by_key(|v| v.lww_key())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Timestamp, VersionId};

    fn meta(ms: i64, id: VersionId, deleted: bool) -> VersionMeta {
        let at = Timestamp::from_unix_millis(ms).unwrap();
        VersionMeta {
            id,
            created_at: at,
            device_name: "d".into(),
            schema_version: 1,
            deleted_at: deleted.then_some(at),
        }
    }

    #[test]
    fn later_wins_then_greater_id_then_live_only() {
        let mut ids = [VersionId::new(), VersionId::new(), VersionId::new()];
        ids.sort();
        let [low, mid, high] = ids;
        let vs = vec![meta(2, low, false), meta(1, high, false)];
        assert_eq!(current_version(&vs).unwrap().id, low);
        let vs = vec![meta(2, high, false), meta(2, low, false)];
        assert_eq!(current_version(&vs).unwrap().id, high);
        let reversed: Vec<_> = vs.iter().rev().cloned().collect();
        assert_eq!(current_version(&reversed).unwrap().id, high);
        let vs = vec![meta(3, mid, true), meta(2, low, false)];
        assert_eq!(current_version(&vs).unwrap().id, low);
        assert!(current_version(&[meta(3, mid, true)]).is_none());
    }
}
