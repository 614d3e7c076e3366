//! Data in and out of versions: JSON encoding, encryption through the [`Cipher`], migration on read,
//! and the [`Decrypted`] values kept for re-reads.

mod cache;

pub(crate) use cache::Decrypted;
pub(crate) use cache::DEFAULT_BUDGET;

use crate::collection::{CollectionDef, DataError};
use crate::crypto::{Cipher, CryptoError};
use crate::error::Result;
use crate::model::Version;
use serde_json::Value;

/// Encrypts `data` (already validated) into a version's `protected_data`.
pub(crate) async fn seal(cipher: &dyn Cipher, data: &Value) -> Result<String> {
    let bytes = serde_json::to_vec(data).map_err(|e| DataError::NotJson(e.to_string()))?;
    Ok(cipher.encrypt(&bytes).await?)
}

/// Decrypts a version's data and migrates it to the collection's current schema.
pub(crate) async fn open(cipher: &dyn Cipher, def: &CollectionDef, version: &Version) -> Result<Value> {
    Ok(decrypt(cipher, def, version).await?.0)
}

/// As [`open`], served from `cache` when it holds the version (the key still unlocked), and kept
/// there otherwise. A locked key empties the cache: the read then fails as [`open`] does.
pub(crate) async fn open_cached(cipher: &dyn Cipher, cache: &Decrypted, def: &CollectionDef, version: &Version) -> Result<Value> {
    if cipher.is_locked() {
        cache.clear();
    } else if version.protected_data.is_some()
        && version.schema_version <= def.schema_version()
        && let Some(value) = cache.get(version.id)
    {
        return Ok(value);
    }
    let (value, bytes) = decrypt(cipher, def, version).await?;
    cache.insert(version.id, &value, bytes);
    Ok(value)
}

/// The migrated value of `version` and the size of its plaintext.
async fn decrypt(cipher: &dyn Cipher, def: &CollectionDef, version: &Version) -> Result<(Value, usize)> {
    // Refuse a newer schema before spending a decryption on it.
    if version.schema_version > def.schema_version() {
        def.migrate(version.schema_version, Value::Null)?;
    }
    let envelope = version
        .protected_data
        .as_deref()
        .ok_or_else(|| CryptoError::MalformedEnvelope("the version's data was deleted".into()))?;
    let bytes = cipher.decrypt(envelope).await?;
    let data: Value = serde_json::from_slice(&bytes).map_err(|e| DataError::NotJson(e.to_string()))?;
    Ok((def.migrate(version.schema_version, data)?, bytes.len()))
}
