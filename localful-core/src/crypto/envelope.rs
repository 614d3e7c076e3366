//! The spec-v1 envelope string `v1:<metadata>:<ciphertext>`: pure encoding and decoding, no crypto.
//!
//! `<metadata>` is standard padded base64 (RFC 4648 §4) of a JSON object `{"iv": .., "salt": ..,
//! "iterations": ..}` (`salt` and `iterations` only for a wrapped key); `<ciphertext>` is base64 of
//! ciphertext‖tag, the 16-byte GCM tag last, as WebCrypto returns it.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::cipher::{CryptoError, EnvelopePart};

/// The spec version this build writes and reads.
pub const SPEC_VERSION: &str = "v1";
/// Length of an AES-GCM IV (nonce) in bytes: 96 bits.
pub const IV_LEN: usize = 12;
/// Length of the AES-GCM authentication tag in bytes.
pub const TAG_LEN: usize = 16;
/// PBKDF2 iterations when the metadata does not say (the original Localful's value).
pub const LEGACY_ITERATIONS: u32 = 100_000;
/// The most PBKDF2 iterations an envelope may ask for (guards against a hostile envelope that would
/// hang the tab).
pub const MAX_ITERATIONS: u32 = 10_000_000;

/// The decoded metadata of an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The 96-bit AES-GCM IV.
    pub iv: [u8; IV_LEN],
    /// The PBKDF2 salt, for a wrapped key.
    pub salt: Option<Vec<u8>>,
    /// The PBKDF2 iterations, for a wrapped key; `None` means [`LEGACY_ITERATIONS`].
    pub iterations: Option<u32>,
}

impl Metadata {
    /// The PBKDF2 iterations this metadata asks for, [`LEGACY_ITERATIONS`] when absent.
    pub fn iterations_or_legacy(&self) -> u32 {
        self.iterations.unwrap_or(LEGACY_ITERATIONS)
    }
}

/// A decoded envelope: metadata and ciphertext‖tag.
///
/// # Example
/// ```
/// use localful_core::crypto::{Envelope, Metadata};
///
/// let envelope = Envelope {
///     metadata: Metadata { iv: [0; 12], salt: None, iterations: None },
///     ciphertext: vec![7; 16],
/// };
/// let text = envelope.encode();
/// assert_eq!(text, "v1:eyJpdiI6IkFBQUFBQUFBQUFBQUFBQUEifQ==:BwcHBwcHBwcHBwcHBwcHBw==");
/// assert_eq!(Envelope::decode(&text), Ok(envelope));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// IV and, for a wrapped key, salt and iterations.
    pub metadata: Metadata,
    /// The AES-GCM ciphertext followed by its 16-byte tag.
    pub ciphertext: Vec<u8>,
}

/// The metadata JSON exactly as written: field order `iv`, `salt`, `iterations` (what
/// `JSON.stringify({iv, salt, iterations})` gives), absent fields omitted.
#[derive(Serialize, Deserialize)]
struct MetadataJson {
    iv: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iterations: Option<u32>,
}

impl Envelope {
    /// Encodes as `v1:<base64 metadata JSON>:<base64 ciphertext‖tag>`.
    pub fn encode(&self) -> String {
        let json = MetadataJson {
            iv: STANDARD.encode(self.metadata.iv),
            salt: self.metadata.salt.as_ref().map(|salt| STANDARD.encode(salt)),
            iterations: self.metadata.iterations,
        };
        // Serializing a struct of strings and an integer cannot fail; fall back to an empty
        // object rather than panic (decoding would then report the missing IV).
        let json = serde_json::to_string(&json).unwrap_or_else(|_| String::from("{}"));
        format!("{SPEC_VERSION}:{}:{}", STANDARD.encode(json), STANDARD.encode(&self.ciphertext))
    }

    /// Decodes an envelope string; every way it can be wrong is a typed [`CryptoError`].
    pub fn decode(text: &str) -> Result<Self, CryptoError> {
        let mut parts = text.split(':');
        let (Some(version), Some(metadata), Some(ciphertext), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CryptoError::MalformedEnvelope(format!(
                "expected 3 `:`-separated parts, found {}",
                text.split(':').count()
            )));
        };
        if version != SPEC_VERSION {
            // Name the version only when it looks like one: text passed here by mistake (a
            // plaintext with a colon) must not reach an error message.
            return Err(if is_version_tag(version) {
                CryptoError::UnknownVersion(version.to_owned())
            } else {
                CryptoError::MalformedEnvelope(String::from("not an encrypted envelope"))
            });
        }
        if metadata.is_empty() || ciphertext.is_empty() {
            return Err(CryptoError::MalformedEnvelope(String::from("empty part")));
        }
        let metadata = decode_metadata(metadata)?;
        let ciphertext = decode_base64(ciphertext, EnvelopePart::Ciphertext)?;
        if ciphertext.len() < TAG_LEN {
            return Err(CryptoError::Truncated);
        }
        Ok(Self { metadata, ciphertext })
    }
}

/// `v` and 1 to 6 digits: a spec version tag (`v1`, `v2`, ...).
fn is_version_tag(text: &str) -> bool {
    let digits = text.strip_prefix('v').unwrap_or("");
    (1..=6).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// What is wrong with the metadata JSON, without serde's message: it quotes the values it did
/// not expect, and those could be anything passed here by mistake.
fn describe(error: &serde_json::Error) -> String {
    let what = match error.classify() {
        serde_json::error::Category::Data => "lacks a required field or has one of the wrong type",
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "is not valid JSON",
        serde_json::error::Category::Io => "could not be read",
    };
    format!("the metadata {what} (line {}, column {})", error.line(), error.column())
}

fn decode_base64(text: &str, part: EnvelopePart) -> Result<Vec<u8>, CryptoError> {
    STANDARD.decode(text).map_err(|_| CryptoError::InvalidBase64(part))
}

fn decode_metadata(text: &str) -> Result<Metadata, CryptoError> {
    let bytes = decode_base64(text, EnvelopePart::Metadata)?;
    let json: MetadataJson = serde_json::from_slice(&bytes).map_err(|error| CryptoError::InvalidMetadata(describe(&error)))?;
    let iv = decode_base64(&json.iv, EnvelopePart::Iv)?;
    let iv: [u8; IV_LEN] = iv.try_into().map_err(|iv: Vec<u8>| {
        CryptoError::InvalidMetadata(format!("iv is {} bytes, expected {IV_LEN}", iv.len()))
    })?;
    let salt = json.salt.as_deref().map(|salt| decode_base64(salt, EnvelopePart::Salt)).transpose()?;
    if salt.as_ref().is_some_and(Vec::is_empty) {
        return Err(CryptoError::InvalidMetadata(String::from("empty salt")));
    }
    if let Some(iterations) = json.iterations
        && !(1..=MAX_ITERATIONS).contains(&iterations)
    {
        return Err(CryptoError::InvalidMetadata(format!(
            "iterations {iterations} outside 1..={MAX_ITERATIONS}"
        )));
    }
    Ok(Metadata { iv, salt, iterations: json.iterations })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn wrapped() -> Envelope {
        Envelope {
            metadata: Metadata {
                iv: *b"0123456789ab",
                salt: Some(b"saltsaltsaltsalt".to_vec()),
                iterations: Some(600_000),
            },
            ciphertext: (0..48).collect(),
        }
    }

    #[test]
    fn writes_the_exact_wire_string() {
        let text = wrapped().encode();
        let (head, tail) = text.rsplit_once(':').unwrap_or_default();
        let metadata = head.strip_prefix("v1:").unwrap_or_default();
        let json = STANDARD.decode(metadata).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&json),
            r#"{"iv":"MDEyMzQ1Njc4OWFi","salt":"c2FsdHNhbHRzYWx0c2FsdA==","iterations":600000}"#
        );
        assert_eq!(STANDARD.decode(tail).unwrap_or_default(), (0..48).collect::<Vec<u8>>());
    }

    #[test]
    fn round_trips_and_reads_fields_in_any_order() {
        assert_eq!(Envelope::decode(&wrapped().encode()), Ok(wrapped()));
        let json = r#"{"iterations":600000,"salt":"c2FsdHNhbHRzYWx0c2FsdA==","iv":"MDEyMzQ1Njc4OWFi","x":1}"#;
        let text = format!("v1:{}:{}", STANDARD.encode(json), STANDARD.encode((0..48).collect::<Vec<u8>>()));
        assert_eq!(Envelope::decode(&text), Ok(wrapped()));
    }

    #[test]
    fn missing_iterations_mean_the_legacy_count() {
        let mut envelope = wrapped();
        envelope.metadata.iterations = None;
        let decoded = Envelope::decode(&envelope.encode());
        assert_eq!(decoded.map(|e| e.metadata.iterations_or_legacy()), Ok(100_000));
    }

    fn with_metadata(json: &str) -> String {
        format!("v1:{}:{}", STANDARD.encode(json), STANDARD.encode([0u8; 16]))
    }

    #[test]
    fn every_malformation_is_typed() {
        let good = wrapped().encode();
        type Check = fn(&CryptoError) -> bool;
        let cases: Vec<(String, Check)> = vec![
            ("v2:a:b".into(), |e| matches!(e, CryptoError::UnknownVersion(v) if v == "v2")),
            ("".into(), |e| matches!(e, CryptoError::MalformedEnvelope(_))),
            ("v1:abc".into(), |e| matches!(e, CryptoError::MalformedEnvelope(_))),
            (format!("{good}:x"), |e| matches!(e, CryptoError::MalformedEnvelope(_))),
            ("v1::AAAA".into(), |e| matches!(e, CryptoError::MalformedEnvelope(_))),
            ("v1:!!!!:AAAA".into(), |e| *e == CryptoError::InvalidBase64(EnvelopePart::Metadata)),
            (good.replacen("v1:", "v1:A", 1), |e| *e == CryptoError::InvalidBase64(EnvelopePart::Metadata)),
            (format!("{}=", &good), |e| *e == CryptoError::InvalidBase64(EnvelopePart::Ciphertext)),
            (with_metadata("not json"), |e| matches!(e, CryptoError::InvalidMetadata(_))),
            (with_metadata("[1]"), |e| matches!(e, CryptoError::InvalidMetadata(_))),
            (with_metadata(r#"{"salt":"AAAA"}"#), |e| matches!(e, CryptoError::InvalidMetadata(_))),
            (with_metadata(r#"{"iv":5}"#), |e| matches!(e, CryptoError::InvalidMetadata(_))),
            (with_metadata(r#"{"iv":"AAAA"}"#), |e| matches!(e, CryptoError::InvalidMetadata(_))),
            (with_metadata(r#"{"iv":"@@"}"#), |e| *e == CryptoError::InvalidBase64(EnvelopePart::Iv)),
            (with_metadata(r#"{"iv":"MDEyMzQ1Njc4OWFi","salt":"%"}"#), |e| {
                *e == CryptoError::InvalidBase64(EnvelopePart::Salt)
            }),
            (with_metadata(r#"{"iv":"MDEyMzQ1Njc4OWFi","iterations":0}"#), |e| {
                matches!(e, CryptoError::InvalidMetadata(_))
            }),
            (with_metadata(r#"{"iv":"MDEyMzQ1Njc4OWFi","iterations":-1}"#), |e| {
                matches!(e, CryptoError::InvalidMetadata(_))
            }),
            (
                format!("v1:{}:{}", STANDARD.encode(r#"{"iv":"MDEyMzQ1Njc4OWFi"}"#), STANDARD.encode([0u8; 15])),
                |e| *e == CryptoError::Truncated,
            ),
        ];
        for (text, expected) in cases {
            match Envelope::decode(&text) {
                Err(error) => assert!(expected(&error), "{text:?} gave {error:?}"),
                Ok(envelope) => panic!("{text:?} decoded to {envelope:?}"),
            }
        }
    }
}
