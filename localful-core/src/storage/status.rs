//! What the storage manager reports, and its errors (pure).

/// This origin's storage as the browser reports it ([`status`](super::status)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct StorageStatus {
    /// Whether the browser keeps this origin's data until the user deletes it (`persisted()`).
    /// When `false` it may clear it if space runs low.
    pub persisted: bool,
    /// Bytes this origin uses (`estimate().usage`), when the browser says.
    pub usage_bytes: Option<u64>,
    /// Bytes this origin may use (`estimate().quota`), when the browser says.
    pub quota_bytes: Option<u64>,
}

impl StorageStatus {
    /// Bytes still free under the quota (never negative), when both figures are known.
    pub fn available_bytes(&self) -> Option<u64> {
        Some(self.quota_bytes?.saturating_sub(self.usage_bytes?))
    }

    /// The share of the quota in use, from 0.0 to 1.0, when both figures are known and the quota
    /// is not zero.
    pub fn used_fraction(&self) -> Option<f64> {
        let (usage, quota) = (self.usage_bytes?, self.quota_bytes?);
        (quota > 0).then(|| (usage as f64 / quota as f64).min(1.0))
    }
}

/// Why the storage manager could not answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// This context has no `navigator.storage` (natively, in an insecure page such as plain http
    /// on another host than localhost, or in an old browser).
    #[error("this browser does not report storage (navigator.storage is missing; it needs https)")]
    Unsupported,
    /// The browser raised an error, with its `DOMException` name when there is one.
    #[error("the browser's storage manager failed ({name}): {message}")]
    Backend {
        /// The `DOMException` name (or `Error`).
        name: String,
        /// The message.
        message: String,
    },
}

/// Rounds a byte count reported as a JavaScript number to whole bytes (negative or not a number:
/// unknown).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by the browser adapter
pub(crate) fn bytes_of(value: Option<f64>) -> Option<u64> {
    value
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn available_and_used_need_both_figures() {
        let full = StorageStatus {
            persisted: false,
            usage_bytes: Some(750),
            quota_bytes: Some(1_000),
        };
        assert_eq!(full.available_bytes(), Some(250));
        assert_eq!(full.used_fraction(), Some(0.75));
        let over = StorageStatus {
            usage_bytes: Some(1_200),
            quota_bytes: Some(1_000),
            ..full
        };
        assert_eq!(over.available_bytes(), Some(0));
        assert_eq!(over.used_fraction(), Some(1.0));
        let unknown = StorageStatus {
            quota_bytes: None,
            ..full
        };
        assert_eq!(unknown.available_bytes(), None);
        assert_eq!(unknown.used_fraction(), None);
        assert_eq!(
            StorageStatus {
                quota_bytes: Some(0),
                ..full
            }
            .used_fraction(),
            None
        );
    }

    #[test]
    fn js_numbers_become_bytes() {
        assert_eq!(bytes_of(Some(1_024.4)), Some(1_024));
        assert_eq!(bytes_of(Some(-1.0)), None);
        assert_eq!(bytes_of(Some(f64::NAN)), None);
        assert_eq!(bytes_of(None), None);
    }
}
