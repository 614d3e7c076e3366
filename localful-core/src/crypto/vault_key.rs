//! [`VaultKey`]: an unlocked database key in memory, the [`Cipher`] the store uses.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{FutureExt as _, LocalBoxFuture};

use super::backend::{Backend, RawKey, Sealed, random_array};
use super::cipher::{Cipher, CryptoError};
use super::envelope::{Envelope, Metadata};
use super::DefaultBackend;

/// An unlocked vault's database key (random AES-256), held only in memory and wiped on drop.
///
/// Cheap to clone (the key is shared); every clone encrypts and decrypts the same data, and
/// [`VaultKey::lock`] on any clone wipes the key for all of them (later calls fail with
/// [`CryptoError::Locked`]). Get one from [`create_protected_key`](super::create_protected_key) or
/// [`unlock`](super::unlock).
///
/// # Example
/// ```
/// # futures::executor::block_on(async {
/// use localful_core::crypto::{Cipher, VaultKey};
///
/// let key = VaultKey::generate().await?;
/// let envelope = key.encrypt(br#"{"title":"hello"}"#).await?;
/// assert!(envelope.starts_with("v1:"));
/// assert_eq!(key.decrypt(&envelope).await?, br#"{"title":"hello"}"#);
/// # Ok::<(), localful_core::crypto::CryptoError>(())
/// # }).unwrap();
/// ```
///
/// # Caution
/// The raw key bytes and RustCrypto's key schedule are zeroed when the last clone is dropped or
/// locked; *ring*'s key schedule is not (ring offers no zeroize), and a WebCrypto `CryptoKey` is
/// non-extractable and freed by the garbage collector.
pub struct VaultKey<B: Backend = DefaultBackend> {
    backend: B,
    /// `None` once locked. Operations clone the inner `Rc` out (never holding the borrow across an
    /// `.await`); the key bytes are wiped when the last in-flight operation drops it.
    slot: Slot<B::Key>,
}

/// The shared, lockable key: `None` once locked.
type Slot<K> = Rc<RefCell<Option<Rc<Inner<K>>>>>;

struct Inner<K> {
    raw: RawKey,
    key: K,
}

impl<B: Backend + Clone> Clone for VaultKey<B> {
    fn clone(&self) -> Self {
        Self { backend: self.backend.clone(), slot: Rc::clone(&self.slot) }
    }
}

impl<B: Backend> std::fmt::Debug for VaultKey<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultKey")
            .field("backend", &self.backend.name())
            .field("locked", &self.is_locked())
            .finish_non_exhaustive()
    }
}

impl VaultKey {
    /// A fresh random key with the platform's default backend (not wrapped: see
    /// [`create_protected_key`](super::create_protected_key) for a key a password unlocks).
    pub async fn generate() -> Result<Self, CryptoError> {
        Self::from_raw_with(DefaultBackend::default(), super::backend::random_key()?).await
    }

    /// Rebuilds a key from raw bytes with the default backend — how a key handed over from another
    /// tab or the worker becomes usable.
    pub async fn from_raw(raw: RawKey) -> Result<Self, CryptoError> {
        Self::from_raw_with(DefaultBackend::default(), raw).await
    }
}

impl<B: Backend> VaultKey<B> {
    /// Rebuilds a key from raw bytes with a chosen backend.
    pub async fn from_raw_with(backend: B, raw: RawKey) -> Result<Self, CryptoError> {
        let key = backend.import_key(&raw).await?;
        Ok(Self { backend, slot: Rc::new(RefCell::new(Some(Rc::new(Inner { raw, key })))) })
    }

    /// Wipes the key from memory for this value and every clone of it: from now on they all fail
    /// with [`CryptoError::Locked`]. An operation already running finishes first.
    pub fn lock(&self) {
        self.slot.borrow_mut().take();
    }

    /// Whether [`VaultKey::lock`] was called on this key or a clone of it.
    pub fn is_locked(&self) -> bool {
        self.slot.borrow().is_none()
    }

    fn inner(&self) -> Result<Rc<Inner<B::Key>>, CryptoError> {
        self.slot.borrow().as_ref().map(Rc::clone).ok_or(CryptoError::Locked)
    }

    /// A copy of the raw key bytes, to hand the key to another context of this browser session
    /// (the `handoff` module, the worker). Never store them: they decrypt the whole vault.
    pub fn export_raw(&self) -> Result<RawKey, CryptoError> {
        Ok(self.inner()?.raw.clone())
    }

    /// The backend doing the work.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Whether `other` holds the same key bytes (compared in constant time); `false` if either is
    /// locked.
    pub fn same_key_as<C: Backend>(&self, other: &VaultKey<C>) -> bool {
        match (self.inner(), other.inner()) {
            (Ok(a), Ok(b)) => a.raw.iter().zip(b.raw.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0,
            _ => false,
        }
    }

    async fn encrypt_envelope(&self, plaintext: &[u8]) -> Result<String, CryptoError> {
        let inner = self.inner()?;
        let iv = random_array()?;
        let ciphertext = self.backend.seal(&inner.key, &iv, plaintext).await?;
        Ok(Envelope { metadata: Metadata { iv, salt: None, iterations: None }, ciphertext }.encode())
    }

    async fn decrypt_envelope(&self, envelope: &str) -> Result<Vec<u8>, CryptoError> {
        let inner = self.inner()?;
        let envelope = Envelope::decode(envelope)?;
        self.backend.open(&inner.key, &envelope.metadata.iv, &envelope.ciphertext).await
    }

    async fn decrypt_envelopes(&self, envelopes: &[&str]) -> Vec<Result<Vec<u8>, CryptoError>> {
        let inner = match self.inner() {
            Ok(inner) => inner,
            Err(error) => return envelopes.iter().map(|_| Err(error.clone())).collect(),
        };
        let decoded: Vec<Result<Envelope, CryptoError>> = envelopes.iter().map(|e| Envelope::decode(e)).collect();
        let messages: Vec<Sealed<'_>> =
            decoded.iter().flatten().map(|e| (&e.metadata.iv, e.ciphertext.as_slice())).collect();
        let mut opened = self.backend.open_many(&inner.key, &messages).await.into_iter();
        decoded
            .into_iter()
            .map(|decoded| match decoded {
                Ok(_) => opened.next().unwrap_or(Err(CryptoError::Backend("a decryption went missing".into()))),
                Err(error) => Err(error),
            })
            .collect()
    }
}

impl<B: Backend> Cipher for VaultKey<B> {
    fn encrypt<'a>(&'a self, plaintext: &'a [u8]) -> LocalBoxFuture<'a, Result<String, CryptoError>> {
        self.encrypt_envelope(plaintext).boxed_local()
    }

    fn decrypt<'a>(&'a self, envelope: &'a str) -> LocalBoxFuture<'a, Result<Vec<u8>, CryptoError>> {
        self.decrypt_envelope(envelope).boxed_local()
    }

    fn decrypt_many<'a>(&'a self, envelopes: &'a [&'a str]) -> LocalBoxFuture<'a, Vec<Result<Vec<u8>, CryptoError>>> {
        self.decrypt_envelopes(envelopes).boxed_local()
    }

    fn is_locked(&self) -> bool {
        VaultKey::is_locked(self)
    }
}
