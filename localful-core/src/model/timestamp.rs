//! UTC timestamps with millisecond precision, RFC 3339 on the wire.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A point in time, UTC, truncated to whole milliseconds (SPEC: "Timestamps").
///
/// Ordered by time; serialised as RFC 3339 with exactly three fractional digits and a `Z` suffix,
/// e.g. `2026-11-25T11:37:55.123Z`.
///
/// ```
/// use localful_core::Timestamp;
/// let t: Timestamp = "2026-11-25T11:37:55.123456+01:00".parse()?;
/// assert_eq!(t.to_string(), "2026-11-25T10:37:55.123Z");
/// assert_eq!(t.unix_millis(), 1_795_603_075_123);
/// # Ok::<(), localful_core::TimestampError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// A string that is not an RFC 3339 timestamp, or a time outside the representable range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The text is not RFC 3339.
    #[error("not an RFC 3339 timestamp: {0:?}")]
    Invalid(String),
    /// The millisecond count is outside what a calendar date can represent.
    #[error("timestamp out of range: {0} ms")]
    OutOfRange(i64),
}

impl Timestamp {
    /// The current time, truncated to milliseconds (uses `Date.now()` in the browser).
    pub fn now() -> Self {
        Self(Utc::now().timestamp_millis())
    }

    /// A timestamp from milliseconds since the Unix epoch.
    pub fn from_unix_millis(ms: i64) -> Result<Self, TimestampError> {
        match Utc.timestamp_millis_opt(ms) {
            chrono::LocalResult::Single(_) => Ok(Self(ms)),
            _ => Err(TimestampError::OutOfRange(ms)),
        }
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(self) -> i64 {
        self.0
    }

    fn to_datetime(self) -> DateTime<Utc> {
        // Every constructor validated the range, so this is always `Single`.
        Utc.timestamp_millis_opt(self.0).single().unwrap_or_default()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_datetime().to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parsed = DateTime::parse_from_rfc3339(s).map_err(|_| TimestampError::Invalid(s.to_owned()))?;
        Ok(Self(parsed.timestamp_millis()))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_millis_and_z() {
        let t = Timestamp::from_unix_millis(0).unwrap();
        assert_eq!(t.to_string(), "1970-01-01T00:00:00.000Z");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"1970-01-01T00:00:00.000Z\"");
    }

    #[test]
    fn parses_offsets_and_truncates_to_millis() {
        let t: Timestamp = "2000-01-01T01:00:00.9999+01:00".parse().unwrap();
        assert_eq!(t.to_string(), "2000-01-01T00:00:00.999Z");
    }

    #[test]
    fn rejects_garbage() {
        assert!(matches!("yesterday".parse::<Timestamp>(), Err(TimestampError::Invalid(_))));
        assert!(serde_json::from_str::<Timestamp>("12").is_err());
        assert!(matches!(Timestamp::from_unix_millis(i64::MAX), Err(TimestampError::OutOfRange(_))));
    }

    #[test]
    fn orders_by_time() {
        let a: Timestamp = "2020-01-01T00:00:00Z".parse().unwrap();
        let b: Timestamp = "2020-01-01T00:00:00.001Z".parse().unwrap();
        assert!(a < b);
    }
}
