//! Encryption, spec v1: envelopes, key derivation, vault keys (see SPEC.md "Encryption").
//!
//! The store encrypts and decrypts through the [`Cipher`] trait, so it does not depend on which
//! implementation (WebCrypto in the browser, a Rust crate natively) does the work.
//!
//! - [`Envelope`]: the pure `v1:<base64 metadata JSON>:<base64 ciphertext‖tag>` codec.
//! - [`create_protected_key`], [`unlock`], [`change_password`]: the random database key wrapped
//!   with a PBKDF2-HMAC-SHA256 unlock key (iterations in the metadata; default 600 000, absent =
//!   100 000).
//! - [`VaultKey`]: the unlocked key, in memory only (wiped on drop); AES-256-GCM with a random
//!   96-bit IV per message.
//! - [`server_password`]: what the server sees instead of the account password.
//! - `handoff` (wasm only, [`KeyHandoff`](handoff::KeyHandoff) in the browser docs): one unlock serves every tab of the browser session; lock drops the key
//!   everywhere.
//!
//! # Example
//! ```
//! # futures::executor::block_on(async {
//! use localful_core::crypto::{
//!     change_password_with, create_protected_key_with, unlock_with, Cipher, CryptoError, DefaultBackend,
//! };
//! // `create_protected_key(password)` etc. do the same with DEFAULT_ITERATIONS (600 000).
//! let backend = DefaultBackend::default();
//! let (key, protected) = create_protected_key_with(backend, "correct horse", 10_000).await?;
//! let note = key.encrypt(br#"{"title":"hello"}"#).await?;
//!
//! let unlocked = unlock_with(backend, &protected, "correct horse").await?;
//! assert_eq!(unlocked.decrypt(&note).await?, br#"{"title":"hello"}"#);
//! assert_eq!(unlock_with(backend, &protected, "wrong").await.err(), Some(CryptoError::WrongPassword));
//!
//! // A password change re-wraps the key; the data stays as it is.
//! let rewrapped = change_password_with(backend, &protected, "correct horse", "battery staple", 10_000).await?;
//! assert_eq!(unlock_with(backend, &rewrapped, "battery staple").await?.decrypt(&note).await?, br#"{"title":"hello"}"#);
//! # Ok::<(), CryptoError>(())
//! # }).unwrap();
//! ```
//!
//! # Backends
//! Every [`Backend`] is byte-compatible (published vectors and cross-tests):
//! [`backends::Ring`] (*ring* via `ring-compat`), [`backends::RustCrypto`] (`aes-gcm`, `pbkdf2`,
//! `sha2`) and, in the browser, `backends::WebCrypto`. [`DefaultBackend`] is the fastest in each
//! place (table below).
//!
//! BENCH_TABLE_PLACEHOLDER

mod backend;
pub mod backends;
mod cipher;
mod envelope;
#[cfg(target_arch = "wasm32")]
pub mod handoff;
mod protected_key;
mod server_password;
mod vault_key;

pub use backend::{Backend, KEY_LEN, RawKey, SALT_LEN, random_array, random_key};
pub use cipher::{Cipher, CryptoError, EnvelopePart};
pub use envelope::{Envelope, IV_LEN, LEGACY_ITERATIONS, MAX_ITERATIONS, Metadata, SPEC_VERSION, TAG_LEN};
pub use protected_key::{
    DEFAULT_ITERATIONS, change_password, change_password_with, create_protected_key, create_protected_key_with,
    unlock, unlock_with,
};
pub use server_password::{SERVER_PASSWORD_ITERATIONS, server_password, server_password_with};
pub use vault_key::VaultKey;

/// The backend [`VaultKey`], [`unlock`] and friends use natively: RustCrypto PBKDF2 and *ring*
/// AES-GCM ([`backends::Native`]).
#[cfg(not(target_arch = "wasm32"))]
pub type DefaultBackend = backends::Native;
/// The backend [`VaultKey`], [`unlock`] and friends use in the browser: WebCrypto for PBKDF2 and
/// large messages, RustCrypto for small ones (`backends::Browser`).
#[cfg(target_arch = "wasm32")]
pub type DefaultBackend = backends::Browser;
