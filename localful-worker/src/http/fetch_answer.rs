//! What one HTTP exchange gives back, the same on every platform.

/// A server's answer: status, body text and how long it asked the client to wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Answer {
    /// The HTTP status.
    pub(super) status: u16,
    /// The body.
    pub(super) text: String,
    /// `Retry-After` in seconds, when the server sent it as a number of seconds.
    pub(super) retry_after: Option<u64>,
}

/// Reads a `Retry-After` value given in seconds. The HTTP-date form is not read: a client clock
/// that is off would turn it into a wrong wait, and the Localful server sends seconds.
pub(super) fn retry_after_secs(value: &str) -> Option<u64> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_seconds_and_leaves_dates_out() {
        assert_eq!(retry_after_secs("42"), Some(42));
        assert_eq!(retry_after_secs(" 7 "), Some(7));
        assert_eq!(retry_after_secs("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert_eq!(retry_after_secs("-1"), None);
    }
}
