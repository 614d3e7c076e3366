//! Test doubles. **Not encryption**: [`PlainCipher`] only obfuscates, so tests and examples can
//! run before (or without) a real key. Never use it for user data. [`CountingStore`] wraps a real
//! store and counts outbox reads.

mod counting_store;

pub use counting_store::CountingStore;

use crate::crypto::{Cipher, CryptoError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures::future::LocalBoxFuture;
use std::cell::Cell;
use std::rc::Rc;

/// A reversible, tamper-evident, **insecure** stand-in for a [`Cipher`], producing `v1:`-shaped
/// envelopes. It counts its calls and can be locked, to test what the store decrypts and how it
/// behaves on a locked vault.
#[derive(Debug, Default)]
pub struct PlainCipher {
    key: u8,
    encrypted: Cell<usize>,
    decrypted: Cell<usize>,
    locked: Cell<bool>,
}

fn checksum(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

impl PlainCipher {
    /// A cipher with "key" `key` (envelopes of another key fail as [`CryptoError::Tampered`]).
    pub fn new(key: u8) -> Self {
        Self { key, ..Self::default() }
    }

    /// A shared cipher with key 0, as the store takes it.
    pub fn shared() -> Rc<dyn Cipher> {
        Rc::new(Self::new(0))
    }

    /// How many times [`Cipher::encrypt`] was called.
    pub fn encrypted(&self) -> usize {
        self.encrypted.get()
    }

    /// How many times [`Cipher::decrypt`] was called.
    pub fn decrypted(&self) -> usize {
        self.decrypted.get()
    }

    /// Locks or unlocks: while locked every call fails with [`CryptoError::Locked`].
    pub fn set_locked(&self, locked: bool) {
        self.locked.set(locked);
    }

    fn seal(&self, plaintext: &[u8]) -> Result<String, CryptoError> {
        if self.locked.get() {
            return Err(CryptoError::Locked);
        }
        self.encrypted.set(self.encrypted.get() + 1);
        let mut body: Vec<u8> = plaintext.iter().map(|b| b ^ 0x5a).collect();
        body.extend_from_slice(&checksum(&[plaintext, &[self.key]].concat()).to_be_bytes());
        let meta = STANDARD.encode(br#"{"iv":"AAAAAAAAAAAAAAAA"}"#);
        Ok(format!("v1:{meta}:{}", STANDARD.encode(body)))
    }

    fn open(&self, envelope: &str) -> Result<Vec<u8>, CryptoError> {
        if self.locked.get() {
            return Err(CryptoError::Locked);
        }
        self.decrypted.set(self.decrypted.get() + 1);
        let mut parts = envelope.splitn(3, ':');
        let (Some(version), Some(_meta), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CryptoError::MalformedEnvelope(String::from("not an envelope of this test cipher")));
        };
        if version != "v1" {
            return Err(CryptoError::MalformedEnvelope(String::from("not an envelope of this test cipher")));
        }
        let body = STANDARD.decode(body).map_err(|_| CryptoError::MalformedEnvelope(String::from("invalid base64")))?;
        if body.len() < 4 {
            return Err(CryptoError::Tampered);
        }
        let (data, sum) = body.split_at(body.len() - 4);
        let plain: Vec<u8> = data.iter().map(|b| b ^ 0x5a).collect();
        if checksum(&[plain.as_slice(), &[self.key]].concat()).to_be_bytes() != sum {
            return Err(CryptoError::Tampered);
        }
        Ok(plain)
    }
}

impl Cipher for PlainCipher {
    fn encrypt<'a>(&'a self, plaintext: &'a [u8]) -> LocalBoxFuture<'a, Result<String, CryptoError>> {
        let result = self.seal(plaintext);
        Box::pin(async move { result })
    }

    fn decrypt<'a>(&'a self, envelope: &'a str) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        let result = self.open(envelope);
        Box::pin(async move { result })
    }

    fn is_locked(&self) -> bool {
        self.locked.get()
    }
}

impl Cipher for Rc<PlainCipher> {
    fn encrypt<'a>(&'a self, plaintext: &'a [u8]) -> LocalBoxFuture<'a, Result<String, CryptoError>> {
        self.as_ref().encrypt(plaintext)
    }

    fn decrypt<'a>(&'a self, envelope: &'a str) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        self.as_ref().decrypt(envelope)
    }

    fn decrypt_many<'a>(&'a self, envelopes: &'a [&'a str]) -> LocalBoxFuture<'a, Vec<Result<Vec<u8>, CryptoError>>> {
        self.as_ref().decrypt_many(envelopes)
    }

    fn is_locked(&self) -> bool {
        self.as_ref().is_locked()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_tampering_and_locking() {
        let c = PlainCipher::new(1);
        let env = futures::executor::block_on(c.encrypt(b"hello")).unwrap();
        assert!(env.starts_with("v1:"));
        assert_eq!(futures::executor::block_on(c.decrypt(&env)).unwrap(), b"hello");
        let mut bad = env.clone();
        bad.replace_range(bad.len() - 6..bad.len() - 5, if bad.ends_with('A') { "B" } else { "A" });
        assert!(futures::executor::block_on(c.decrypt(&bad)).is_err());
        assert_eq!(futures::executor::block_on(PlainCipher::new(2).decrypt(&env)), Err(CryptoError::Tampered));
        c.set_locked(true);
        assert_eq!(futures::executor::block_on(c.encrypt(b"x")), Err(CryptoError::Locked));
    }
}
