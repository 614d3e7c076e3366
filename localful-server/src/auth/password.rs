//! Argon2id password hashes (PHC strings), computed off the async runtime.

use crate::error::AppError;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version, password_hash::SaltString};

fn hasher(memory_kib: u32, iterations: u32) -> Result<Argon2<'static>, AppError> {
    let params = Params::new(memory_kib.max(8), iterations.max(1), 1, None).map_err(AppError::unexpected)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes `password` with a random salt.
pub(crate) async fn hash(password: String, memory_kib: u32, iterations: u32) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(AppError::unexpected)?;
        let salt = SaltString::encode_b64(&salt).map_err(AppError::unexpected)?;
        let h = hasher(memory_kib, iterations)?.hash_password(password.as_bytes(), &salt).map_err(AppError::unexpected)?;
        Ok(h.to_string())
    })
    .await
    .map_err(AppError::unexpected)?
}

/// Whether `password` matches the PHC string `phc` (its own parameters apply).
pub(crate) async fn verify(password: String, phc: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&phc).map_err(AppError::unexpected)?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(AppError::unexpected)?
}
