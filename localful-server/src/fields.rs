//! Validated field types: deserialising one of these *is* its validation, so a body that parses is
//! valid and a body that does not becomes a `request-invalid` naming the field.
//!
//! Every string the server stores or looks up passes [`storable`]: both backends then accept the
//! same text, instead of SQLite storing what Postgres refuses with an internal error.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, de::Error as _};
use std::fmt;

/// A client-chosen UUID, stored and answered in lowercase hyphenated form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub(crate) struct Id(String);

impl Id {
    /// Parses a UUID (any version; clients use v4).
    pub(crate) fn parse(s: &str) -> Option<Self> {
        uuid::Uuid::parse_str(s).ok().map(|u| Self(u.hyphenated().to_string()))
    }

    /// A fresh random v4 id.
    pub(crate) fn new_v4() -> Self {
        Self(uuid::Uuid::new_v4().hyphenated().to_string())
    }

    /// The canonical text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| D::Error::custom(format!("invalid value: {s:?}, expected a UUID")))
    }
}

/// The one character Postgres cannot hold in a `text` value (nor as `\u0000` in `jsonb`): a UTF-8
/// database refuses it with `invalid byte sequence for encoding "UTF8": 0x00`. Every other
/// Unicode scalar value is storable; JSON's lone surrogates never reach here (serde_json refuses
/// them while parsing).
const UNSTORABLE: char = '\u{0}';

/// Refuses text that a backend cannot store, with the reason in plain words.
fn storable<E: serde::de::Error>(s: &str) -> Result<(), E> {
    if s.contains(UNSTORABLE) {
        Err(E::custom("contains the NUL character (U+0000), which the server cannot store; remove it"))
    } else {
        Ok(())
    }
}

/// A string of `MIN..=MAX` characters (not blank when `MIN > 0`), without a NUL character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub(crate) struct Text<const MIN: usize, const MAX: usize>(String);

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

impl<'de, const MIN: usize, const MAX: usize> Deserialize<'de> for Text<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let n = s.chars().count();
        if n < MIN || (MIN > 0 && s.trim().is_empty()) {
            return Err(D::Error::custom(format!("string too short: at least {MIN} characters expected")));
        }
        if n > MAX {
            return Err(D::Error::custom(format!("string too long: at most {MAX} characters expected")));
        }
        storable(&s)?;
        Ok(Self(s))
    }
}

/// An RFC 3339 timestamp, normalised to UTC with millisecond precision (`2026-01-02T03:04:05.678Z`).
///
/// Stored as this text in the database: it sorts chronologically as a string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub(crate) struct Time(String);

impl Time {
    /// The current time.
    pub(crate) fn now() -> Self {
        Self::from_datetime(Utc::now())
    }

    /// The current time as milliseconds since the epoch.
    pub(crate) fn now_millis() -> i64 {
        Utc::now().timestamp_millis()
    }

    fn from_datetime(t: DateTime<Utc>) -> Self {
        Self(t.to_rfc3339_opts(SecondsFormat::Millis, true))
    }

    /// Parses RFC 3339 with any offset, within years 1970..=9999.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let t = DateTime::parse_from_rfc3339(s).ok()?.with_timezone(&Utc);
        let ms = t.timestamp_millis();
        // 9999-12-31T23:59:59.999Z
        if !(0..=253_402_300_799_999).contains(&ms) {
            return None;
        }
        DateTime::from_timestamp_millis(ms).map(Self::from_datetime)
    }

    /// The stored text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The stored text, owned.
    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() > 64 {
            return Err(D::Error::custom("string too long for a timestamp"));
        }
        Self::parse(&s).ok_or_else(|| D::Error::custom(format!("invalid value: {s:?}, expected an RFC 3339 timestamp")))
    }
}

/// An email address: 3..=254 characters with an `@` between non-empty parts, no whitespace and no
/// NUL character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub(crate) struct Email(String);

impl Email {
    /// The address as given.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        storable(&s)?;
        let ok = s.chars().count() <= 254
            && !s.chars().any(char::is_whitespace)
            && matches!(s.split_once('@'), Some((a, b)) if !a.is_empty() && !b.is_empty() && !b.contains('@'));
        if ok { Ok(Self(s)) } else { Err(D::Error::custom("invalid value, expected an email address")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_normalises_to_utc_millis() {
        assert_eq!(Time::parse("2026-01-02T04:04:05.6789+01:00").map(Time::into_string).as_deref(), Some("2026-01-02T03:04:05.678Z"));
        assert!(Time::parse("yesterday").is_none());
        assert!(Time::parse("1969-12-31T23:59:59Z").is_none());
    }

    #[test]
    fn id_is_canonical() {
        let id = Id::parse("6F9619FF-8B86-4011-B42D-00C04FC964FF").map(|i| i.to_string());
        assert_eq!(id.as_deref(), Some("6f9619ff-8b86-4011-b42d-00c04fc964ff"));
        assert!(Id::parse("nope").is_none());
    }

    #[test]
    fn text_bounds() {
        assert!(serde_json::from_str::<Text<1, 3>>("\"abc\"").is_ok());
        assert!(serde_json::from_str::<Text<1, 3>>("\"abcd\"").is_err());
        assert!(serde_json::from_str::<Text<1, 3>>("\"\"").is_err());
        assert!(serde_json::from_str::<Text<1, 3>>("\"  \"").is_err());
    }

    #[test]
    fn text_postgres_cannot_store_is_refused_everywhere() {
        for json in [r#""\u0000""#, r#""a\u0000b""#, r#""ab\u0000""#] {
            let err = serde_json::from_str::<Text<0, 10>>(json).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains("U+0000"), "{json}: {err}");
        }
        // Other control characters and non-BMP text are stored alike by both backends.
        assert!(serde_json::from_str::<Text<1, 10>>(r#""a\u0001\u001f\u007f\ud83d\ude00""#).is_ok());
        assert!(serde_json::from_str::<Email>(r#""a\u0000@b""#).is_err());
        assert!(serde_json::from_str::<Email>(r#""a@b\u0000""#).is_err());
    }
}
