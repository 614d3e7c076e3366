//! The password-wrapped database key (`protected_encryption_key`): create, unlock, change password.

use zeroize::Zeroizing;

use super::backend::{Backend, KEY_LEN, SALT_LEN, random_array, random_key};
use super::cipher::CryptoError;
use super::envelope::{Envelope, Metadata};
use super::vault_key::VaultKey;
use super::DefaultBackend;

/// PBKDF2 iterations for new and re-wrapped keys.
pub const DEFAULT_ITERATIONS: u32 = 600_000;

/// The fewest PBKDF2 iterations a key is wrapped with ([`CryptoError::TooFewIterations`] below):
/// the original Localful's count, which envelopes without an iteration count still use. Fewer
/// would make a stolen protected key cheaper to brute-force than any vault we ever wrote.
pub const MIN_ITERATIONS: u32 = super::LEGACY_ITERATIONS;

/// Creates a vault's random database key and wraps it with `password` (PBKDF2-HMAC-SHA256,
/// [`DEFAULT_ITERATIONS`], random 16-byte salt) into the envelope stored as
/// `protected_encryption_key`.
///
/// See the [module example](super) (which uses fewer iterations to run fast in debug builds).
pub async fn create_protected_key(password: &str) -> Result<(VaultKey, String), CryptoError> {
    create_protected_key_with(DefaultBackend::default(), password, DEFAULT_ITERATIONS).await
}

/// [`create_protected_key`] with a chosen backend and iteration count (at least
/// [`MIN_ITERATIONS`], or [`CryptoError::TooFewIterations`]).
pub async fn create_protected_key_with<B: Backend + Clone>(
    backend: B,
    password: &str,
    iterations: u32,
) -> Result<(VaultKey<B>, String), CryptoError> {
    let raw = random_key()?;
    let protected = wrap(&backend, &raw, password, iterations).await?;
    let key = VaultKey::from_raw_with(backend, raw).await?;
    Ok((key, protected))
}

/// Unwraps a vault's database key with its password.
///
/// A wrong password is [`CryptoError::WrongPassword`] (as is a wrapped key whose ciphertext was
/// altered: GCM cannot tell the two apart); a malformed envelope gets its own typed error.
pub async fn unlock(protected: &str, password: &str) -> Result<VaultKey, CryptoError> {
    unlock_with(DefaultBackend::default(), protected, password).await
}

/// [`unlock`] with a chosen backend.
pub async fn unlock_with<B: Backend>(backend: B, protected: &str, password: &str) -> Result<VaultKey<B>, CryptoError> {
    let raw = unwrap(&backend, protected, password).await?;
    VaultKey::from_raw_with(backend, raw).await
}

/// Re-wraps the database key under `new_password` (fresh salt and IV, [`DEFAULT_ITERATIONS`]); no
/// data is re-encrypted. The old envelope is not touched: on any error nothing changed.
pub async fn change_password(protected: &str, old_password: &str, new_password: &str) -> Result<String, CryptoError> {
    change_password_with(DefaultBackend::default(), protected, old_password, new_password, DEFAULT_ITERATIONS).await
}

/// [`change_password`] with a chosen backend and iteration count (at least [`MIN_ITERATIONS`]).
pub async fn change_password_with<B: Backend>(
    backend: B,
    protected: &str,
    old_password: &str,
    new_password: &str,
    iterations: u32,
) -> Result<String, CryptoError> {
    let raw = unwrap(&backend, protected, old_password).await?;
    wrap(&backend, &raw, new_password, iterations).await
}

async fn unlock_key<B: Backend>(backend: &B, password: &str, salt: &[u8], iterations: u32) -> Result<B::Key, CryptoError> {
    let derived = backend.pbkdf2_sha256(password.as_bytes(), salt, iterations, KEY_LEN).await?;
    let mut unlock = Zeroizing::new([0u8; KEY_LEN]);
    if derived.len() != KEY_LEN {
        return Err(CryptoError::Backend(String::from("PBKDF2 returned the wrong length")));
    }
    unlock.copy_from_slice(&derived);
    backend.import_key(&unlock).await
}

async fn wrap<B: Backend>(backend: &B, raw: &[u8; KEY_LEN], password: &str, iterations: u32) -> Result<String, CryptoError> {
    if iterations < MIN_ITERATIONS {
        return Err(CryptoError::TooFewIterations(iterations));
    }
    let salt: [u8; SALT_LEN] = random_array()?;
    let iv = random_array()?;
    let unlock = unlock_key(backend, password, &salt, iterations).await?;
    let ciphertext = backend.seal(&unlock, &iv, raw).await?;
    let metadata = Metadata { iv, salt: Some(salt.to_vec()), iterations: Some(iterations) };
    Ok(Envelope { metadata, ciphertext }.encode())
}

async fn unwrap<B: Backend>(backend: &B, protected: &str, password: &str) -> Result<super::backend::RawKey, CryptoError> {
    let envelope = Envelope::decode(protected)?;
    let salt = envelope
        .metadata
        .salt
        .as_deref()
        .ok_or_else(|| CryptoError::InvalidMetadata(String::from("a protected key needs a salt")))?;
    let unlock = unlock_key(backend, password, salt, envelope.metadata.iterations_or_legacy()).await?;
    let plain = Zeroizing::new(
        backend.open(&unlock, &envelope.metadata.iv, &envelope.ciphertext).await.map_err(|error| match error {
            CryptoError::Tampered => CryptoError::WrongPassword,
            other => other,
        })?,
    );
    let mut raw = Zeroizing::new([0u8; KEY_LEN]);
    if plain.len() != KEY_LEN {
        return Err(CryptoError::InvalidMetadata(format!("the wrapped key is {} bytes, expected {KEY_LEN}", plain.len())));
    }
    raw.copy_from_slice(&plain);
    Ok(raw)
}
