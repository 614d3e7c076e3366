//! Why a write failed, in plain words for people.

use localful_core::{Error, StoreError};

/// What to tell people when saving failed: a full disk says what to do; anything else keeps the
/// library's own message (already plain words).
pub(crate) fn explain(err: &Error) -> String {
    match err {
        Error::Store(StoreError::QuotaExceeded(_)) => "This device has no space left for your notes, so nothing of this \
            change was saved (your text is still here). Free some disk space, or delete notes or old history you no \
            longer need, then try again."
            .to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_says_what_to_do() {
        let words = explain(&StoreError::QuotaExceeded("QuotaExceededError".into()).into());
        assert!(
            words.starts_with("This device has no space left for your notes"),
            "{words}"
        );
        assert!(!words.contains("QuotaExceeded"), "no error names: {words}");
        assert_eq!(
            explain(&StoreError::Closed.into()),
            "the vault's database is closed"
        );
    }
}
