//! HS256 JSON Web Tokens through `jsonwebtoken` (only HS256 verifies: no `alg` negotiation).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode, errors::ErrorKind};
use serde::{Deserialize, Serialize};

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

/// Signs `claims` with `secret` (HS256).
pub(crate) fn sign(claims: &Claims, secret: &[u8]) -> String {
    // Serialising these plain claims cannot fail; an empty token would simply never verify.
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret)).unwrap_or_default()
}

/// Verifies signature (HS256 only: no `alg` negotiation), type and expiry (`now` in seconds since
/// the epoch; a token is expired from its `exp` second on).
pub(crate) fn verify(token: &str, secret: &[u8], typ: TokenType, now: i64) -> Result<Claims, JwtError> {
    let mut validation = Validation::new(Algorithm::HS256);
    // Expiry is checked below against the caller's clock, so tests can pass their own `now`.
    validation.validate_exp = false;
    validation.required_spec_claims = ["exp", "sub"].into_iter().map(String::from).collect();
    let data = decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation).map_err(|err| match err.kind() {
        ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => JwtError::Signature,
        _ => JwtError::Malformed,
    })?;
    let claims = data.claims;
    if claims.typ != typ {
        return Err(JwtError::WrongType);
    }
    if claims.exp <= now {
        return Err(JwtError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};

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
        // `alg: none` is refused (as an unknown algorithm, before any signature check).
        assert!(matches!(verify(&none, b"k", TokenType::Refresh, 50), Err(JwtError::Signature | JwtError::Malformed)));
        let hs512 = encode(&Header::new(Algorithm::HS512), &claims(100), &EncodingKey::from_secret(b"k")).unwrap();
        assert_eq!(verify(&hs512, b"k", TokenType::Refresh, 50), Err(JwtError::Signature));
    }
}
