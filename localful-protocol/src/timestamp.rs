//! UTC timestamps with millisecond precision, RFC 3339 on the wire.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// The latest time a timestamp may hold: 9999-12-31T23:59:59.999Z. RFC 3339 writes four-digit
/// years only, and the server stores times as text that must sort chronologically.
const MAX_MILLIS: i64 = 253_402_300_799_999;

/// Longer text is refused before parsing (and before being quoted in an error message).
const MAX_TEXT: usize = 64;

/// A point in time, UTC, truncated to whole milliseconds, from 1970 to the end of year 9999.
///
/// Ordered by time; serialised as RFC 3339 with exactly three fractional digits and a `Z` suffix,
/// e.g. `2026-11-25T11:37:55.123Z`; any RFC 3339 offset is read and converted to UTC.
///
/// ```
/// use localful_protocol::Timestamp;
/// let t: Timestamp = "2026-11-25T11:37:55.123456+01:00".parse()?;
/// assert_eq!(t.to_string(), "2026-11-25T10:37:55.123Z");
/// assert_eq!(t.unix_millis(), 1_795_603_075_123);
/// # Ok::<(), localful_protocol::TimestampError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// A string that is not an RFC 3339 timestamp, or a time outside 1970..=9999.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The text is not RFC 3339.
    #[error("not an RFC 3339 timestamp: {0:?}")]
    Invalid(String),
    /// The time is before 1970 or after 9999.
    #[error("timestamp out of range (1970 to 9999): {0} ms")]
    OutOfRange(i64),
}

impl Timestamp {
    /// The current time, truncated to milliseconds (`Date.now()` in the browser).
    #[cfg(feature = "clock")]
    pub fn now() -> Self {
        Self(Utc::now().timestamp_millis().clamp(0, MAX_MILLIS))
    }

    /// A timestamp from milliseconds since the Unix epoch.
    pub fn from_unix_millis(ms: i64) -> Result<Self, TimestampError> {
        if (0..=MAX_MILLIS).contains(&ms) { Ok(Self(ms)) } else { Err(TimestampError::OutOfRange(ms)) }
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(self) -> i64 {
        self.0
    }

    fn to_datetime(self) -> DateTime<Utc> {
        // Every constructor checked the range, so this is always `Single`.
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
        Self::from_unix_millis(parsed.timestamp_millis())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        if s.len() > MAX_TEXT {
            return Err(serde::de::Error::custom("string too long for a timestamp"));
        }
        s.parse().map_err(|_| serde::de::Error::custom(format!("invalid value: {s:?}, expected an RFC 3339 timestamp")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact text client and server have always written: `Z`, three fractional digits.
    #[test]
    fn writes_rfc3339_utc_with_millis_and_z() {
        for (ms, text) in [
            (0, "1970-01-01T00:00:00.000Z"),
            (1_767_323_045_678, "2026-01-02T03:04:05.678Z"),
            (1_795_603_075_100, "2026-11-25T10:37:55.100Z"),
            (MAX_MILLIS, "9999-12-31T23:59:59.999Z"),
        ] {
            let t = Timestamp::from_unix_millis(ms).unwrap();
            assert_eq!(t.to_string(), text);
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Timestamp>(&format!("\"{text}\"")).unwrap(), t);
        }
    }

    #[test]
    fn reads_offsets_and_truncates_to_millis() {
        for (text, utc) in [
            ("2026-01-02T04:04:05.6789+01:00", "2026-01-02T03:04:05.678Z"),
            ("2000-01-01T01:00:00.9999+01:00", "2000-01-01T00:00:00.999Z"),
            ("2020-01-01T00:00:00Z", "2020-01-01T00:00:00.000Z"),
            ("2020-01-01t00:00:00.5z", "2020-01-01T00:00:00.500Z"),
        ] {
            assert_eq!(text.parse::<Timestamp>().map(|t| t.to_string()).as_deref(), Ok(utc), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_time_of_1970_to_9999() {
        assert!(matches!("yesterday".parse::<Timestamp>(), Err(TimestampError::Invalid(_))));
        assert!(matches!("1969-12-31T23:59:59Z".parse::<Timestamp>(), Err(TimestampError::OutOfRange(-1000))));
        assert!(matches!(Timestamp::from_unix_millis(MAX_MILLIS + 1), Err(TimestampError::OutOfRange(_))));
        assert!(matches!(Timestamp::from_unix_millis(i64::MAX), Err(TimestampError::OutOfRange(_))));
        assert!(serde_json::from_str::<Timestamp>("12").is_err());
        let err = serde_json::from_str::<Timestamp>("\"soon\"").unwrap_err().to_string();
        assert!(err.starts_with("invalid value: \"soon\", expected an RFC 3339 timestamp"), "{err}");
        let long = format!("\"{}\"", "9".repeat(65));
        assert!(serde_json::from_str::<Timestamp>(&long).unwrap_err().to_string().contains("too long"));
    }

    #[test]
    fn orders_by_time() {
        let a: Timestamp = "2020-01-01T00:00:00Z".parse().unwrap();
        let b: Timestamp = "2020-01-01T00:00:00.001Z".parse().unwrap();
        assert!(a < b);
        assert!(a.to_string() < b.to_string(), "the text sorts as the time does");
    }
}
