//! Validated field types: deserialising one of these *is* its validation, so a body that parses is
//! valid and a body that does not becomes a `request-invalid` naming the field. Ids and times are
//! the protocol's own types ([`localful_protocol`]), which parse the same way everywhere.
//!
//! Every string the server stores or looks up passes [`storable`]: both backends then accept the
//! same text, instead of SQLite storing what Postgres refuses with an internal error.

use serde::{Deserialize, Deserializer, Serialize, de::Error as _};

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
