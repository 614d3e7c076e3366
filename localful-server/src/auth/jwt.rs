//! HS256 JSON Web Tokens, the few lines we need (no `alg` negotiation: only HS256 verifies).

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// What a token is for; an access token is not accepted as a refresh token and vice versa.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TokenType {
    Access,
    Refresh,
}

/// Token claims: user, session, and for refresh tokens the session's rotation counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Claims {
    pub(crate) sub: String,
    pub(crate) sid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cid: Option<i64>,
    pub(crate) typ: TokenType,
    pub(crate) iat: i64,
    pub(crate) exp: i64,
}

/// Why a token was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum JwtError {
    #[error("malformed token")]
    Malformed,
    #[error("bad signature")]
    Signature,
    #[error("expired token")]
    Expired,
    #[error("wrong token type")]
    WrongType,
}

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this never fails.
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
}

/// Signs `claims` with `secret`.
pub(crate) fn sign(claims: &Claims, secret: &[u8]) -> String {
    let payload = serde_json::to_vec(claims).unwrap_or_default();
    let signing_input = format!("{}.{}", URL_SAFE_NO_PAD.encode(HEADER), URL_SAFE_NO_PAD.encode(payload));
    let mut m = mac(secret);
    m.update(signing_input.as_bytes());
    let sig = m.finalize().into_bytes();
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// Verifies signature, type and expiry (`now` in seconds since the epoch).
pub(crate) fn verify(token: &str, secret: &[u8], typ: TokenType, now: i64) -> Result<Claims, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(JwtError::Malformed);
    };
    let header: serde_json::Value =
        URL_SAFE_NO_PAD.decode(h).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(JwtError::Malformed)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(JwtError::Signature);
    }
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
    let mut m = mac(secret);
    m.update(h.as_bytes());
    m.update(b".");
    m.update(p.as_bytes());
    m.verify_slice(&sig).map_err(|_| JwtError::Signature)?;
    let claims: Claims =
        URL_SAFE_NO_PAD.decode(p).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(JwtError::Malformed)?;
    if claims.typ != typ {
        return Err(JwtError::WrongType);
    }
    if claims.exp <= now {
        return Err(JwtError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims { sub: "u".into(), sid: "s".into(), cid: Some(3), typ: TokenType::Refresh, iat: 0, exp }
    }

    #[test]
    fn round_trip_and_refusals() {
        let t = sign(&claims(100), b"k");
        assert_eq!(verify(&t, b"k", TokenType::Refresh, 50), Ok(claims(100)));
        assert_eq!(verify(&t, b"other", TokenType::Refresh, 50), Err(JwtError::Signature));
        assert_eq!(verify(&t, b"k", TokenType::Access, 50), Err(JwtError::WrongType));
        assert_eq!(verify(&t, b"k", TokenType::Refresh, 100), Err(JwtError::Expired));
        assert_eq!(verify("a.b", b"k", TokenType::Refresh, 0), Err(JwtError::Malformed));
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#), t.split('.').nth(1).unwrap_or_default());
        assert_eq!(verify(&none, b"k", TokenType::Refresh, 50), Err(JwtError::Signature));
    }
}
