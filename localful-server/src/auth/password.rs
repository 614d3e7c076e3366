//! Argon2id password hashes (PHC strings), computed off the async runtime on the [`HashGate`]'s
//! threads, which bound how many hashes run at once.
//!
//! Each of those threads keeps its hash memory (19 MiB at the default cost) from one hash to the
//! next, through argon2's `hash_password_into_with_memory`: allocated and freed per hash, the
//! allocator kept several such blocks per thread, so that resident memory depended on the
//! history of logins rather than on the number of threads. The price: once it has hashed, each
//! thread holds one hash's memory while the server runs.

use super::hash_gate::HashGate;
use crate::error::AppError;
use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, Version,
    password_hash::{Output, ParamsString, SaltString},
};
use std::cell::RefCell;

thread_local! {
    /// This thread's hash memory, kept for the next hash of the same cost.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on this thread's hash memory, sized to `count` blocks (replaced, not grown, when the
/// cost changes: the old memory is freed before the new is taken).
fn with_blocks<T>(count: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    BLOCKS.with_borrow_mut(|blocks| {
        if blocks.len() != count {
            *blocks = Vec::new();
            *blocks = vec![Block::default(); count];
        }
        f(blocks)
    })
}

fn params(memory_kib: u32, iterations: u32) -> Result<Params, AppError> {
    Params::new(memory_kib.max(8), iterations.max(1), 1, None).map_err(AppError::unexpected)
}

/// The PHC string of `password` hashed with `salt` at this cost, on this thread's memory.
fn hash_now(password: &[u8], salt: &[u8; 16], memory_kib: u32, iterations: u32) -> Result<String, AppError> {
    let params = params(memory_kib, iterations)?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    with_blocks(params.block_count(), |blocks| argon2.hash_password_into_with_memory(password, salt, &mut out, blocks))
        .map_err(AppError::unexpected)?;
    let salt = SaltString::encode_b64(salt).map_err(AppError::unexpected)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(AppError::unexpected)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(AppError::unexpected)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `phc` (its own algorithm, version and cost apply),
/// on this thread's memory; compared in constant time.
fn verify_now(password: &[u8], phc: &str) -> Result<bool, AppError> {
    let parsed = PasswordHash::new(phc).map_err(AppError::unexpected)?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(AppError::unexpected)?;
    let version = parsed.version.map(Version::try_from).transpose().map_err(AppError::unexpected)?.unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(AppError::unexpected)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(AppError::unexpected("a stored password hash has no salt or no hash"));
    };
    let mut salt_buf = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_buf).map_err(AppError::unexpected)?;
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    with_blocks(params.block_count(), |blocks| argon2.hash_password_into_with_memory(password, salt, &mut out, blocks))
        .map_err(AppError::unexpected)?;
    Ok(Output::new(&out).map_err(AppError::unexpected)? == expected)
}

/// Hashes `password` with a random salt, once `gate` gives a turn (`system-busy` if it does not).
pub(crate) async fn hash(gate: &HashGate, password: String, memory_kib: u32, iterations: u32) -> Result<String, AppError> {
    gate.run(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(AppError::unexpected)?;
        hash_now(password.as_bytes(), &salt, memory_kib, iterations)
    })
    .await
}

/// Whether `password` matches the PHC string `phc` (its own parameters apply), once `gate` gives
/// a turn (`system-busy` if it does not).
pub(crate) async fn verify(gate: &HashGate, password: String, phc: String) -> Result<bool, AppError> {
    gate.run(move || verify_now(password.as_bytes(), &phc)).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use argon2::{PasswordHasher, PasswordVerifier};

    /// Our hashes on kept memory are argon2's own: the same PHC string for the same salt, and
    /// each side verifies the other's (hashes stored before this change keep working).
    #[test]
    fn hashes_on_kept_memory_are_argon2s_own() {
        let salt = [7u8; 16];
        let (memory_kib, iterations) = (256, 2);
        let ours = hash_now(b"correct-horse", &salt, memory_kib, iterations).unwrap();
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params(memory_kib, iterations).unwrap());
        let theirs = argon2.hash_password(b"correct-horse", &SaltString::encode_b64(&salt).unwrap()).unwrap().to_string();
        assert_eq!(ours, theirs);
        assert!(argon2.verify_password(b"correct-horse", &PasswordHash::new(&ours).unwrap()).is_ok());
        assert!(verify_now(b"correct-horse", &theirs).unwrap());
        assert!(!verify_now(b"wrong-horse", &theirs).unwrap());
        // Another cost on the same thread replaces the memory, and still verifies.
        let cheaper = hash_now(b"correct-horse", &salt, 64, 1).unwrap();
        assert!(verify_now(b"correct-horse", &cheaper).unwrap());
        assert!(verify_now(b"correct-horse", &ours).unwrap());
        assert!(verify_now(b"x", "not a phc string").is_err());
    }
}
