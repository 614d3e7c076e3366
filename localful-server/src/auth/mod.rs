//! Authentication: password hashing (bounded by the hash gate), signed tokens, the bearer
//! extractor and rate limiting.

pub(crate) mod extractor;
pub(crate) mod hash_gate;
pub(crate) mod jwt;
pub(crate) mod password;
pub(crate) mod rate_limit;

/// Random bytes from the OS, base64url without padding (tokens, tickets, secrets).
pub(crate) fn random_token(bytes: usize) -> Result<String, crate::error::AppError> {
    use base64::Engine as _;
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(crate::error::AppError::unexpected)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}

/// SHA-256 of `s`, hex: how tickets are stored (a database leak does not leak live tickets).
pub(crate) fn sha256_hex(s: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
