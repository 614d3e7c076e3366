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

/// As [`open_cached`] for several versions, each result in its place: those not kept are
/// decrypted together (in parallel where the cipher can, see [`Cipher::decrypt_many`]).
pub(crate) async fn open_many_cached(
    cipher: &dyn Cipher,
    cache: &Decrypted,
    def: &CollectionDef,
    versions: &[&Version],
) -> Vec<Result<Value>> {
    if cipher.is_locked() {
        cache.clear();
    }
    // Each version's value when known without decrypting (kept, or refused), `None` otherwise.
    let known: Vec<Option<Result<Value>>> = versions.iter().map(|version| known_value(cipher, cache, def, version)).collect();
    let envelopes: Vec<&str> = versions
        .iter()
        .zip(&known)
        .filter(|(_, known)| known.is_none())
        .filter_map(|(version, _)| version.protected_data.as_deref())
        .collect();
    let mut plaintexts = cipher.decrypt_many(&envelopes).await.into_iter();
    versions
        .iter()
        .zip(known)
        .map(|(version, known)| {
            known.unwrap_or_else(|| {
                let bytes = plaintexts.next().unwrap_or(Err(CryptoError::Backend("a decryption went missing".into())))?;
                let (value, size) = migrate(def, version, &bytes)?;
                cache.insert(version.id, &value, size);
                Ok(value)
            })
        })
        .collect()
}

/// The value of `version` if it is known without decrypting: kept in `cache`, or refused (a newer
/// schema than the collection's, data deleted).
fn known_value(cipher: &dyn Cipher, cache: &Decrypted, def: &CollectionDef, version: &Version) -> Option<Result<Value>> {
    if version.schema_version > def.schema_version() {
        return Some(def.migrate(version.schema_version, Value::Null).map_err(Into::into));
    }
    if version.protected_data.is_none() {
        return Some(Err(CryptoError::MalformedEnvelope("the version's data was deleted".into()).into()));
    }
    if cipher.is_locked() {
        return None;
    }
    cache.get(version.id).map(Ok)
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
    migrate(def, version, &bytes)
}

/// `version`'s decrypted `bytes` as JSON, migrated to the collection's schema, and their size.
fn migrate(def: &CollectionDef, version: &Version, bytes: &[u8]) -> Result<(Value, usize)> {
    let data: Value = serde_json::from_slice(bytes).map_err(|e| DataError::NotJson(e.to_string()))?;
    Ok((def.migrate(version.schema_version, data)?, bytes.len()))
}
