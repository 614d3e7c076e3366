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
//! - `handoff` (wasm only: `handoff::KeyHandoff`): one unlock serves every tab and the worker of
//!   the browser session over a `BroadcastChannel`; lock drops the key everywhere.
//!
//! # Example
//! ```
//! # futures::executor::block_on(async {
//! use localful_core::crypto::{
//!     change_password_with, create_protected_key_with, unlock_with, Cipher, CryptoError, DefaultBackend,
//!     MIN_ITERATIONS,
//! };
//! // `create_protected_key(password)` etc. do the same with DEFAULT_ITERATIONS (600 000).
//! let backend = DefaultBackend::default();
//! let (key, protected) = create_protected_key_with(backend, "correct horse", MIN_ITERATIONS).await?;
//! let note = key.encrypt(br#"{"title":"hello"}"#).await?;
//!
//! let unlocked = unlock_with(backend, &protected, "correct horse").await?;
//! assert_eq!(unlocked.decrypt(&note).await?, br#"{"title":"hello"}"#);
//! assert_eq!(unlock_with(backend, &protected, "wrong").await.err(), Some(CryptoError::WrongPassword));
//!
//! // A password change re-wraps the key; the data stays as it is.
//! let rewrapped = change_password_with(backend, &protected, "correct horse", "battery staple", MIN_ITERATIONS).await?;
//! assert_eq!(unlock_with(backend, &rewrapped, "battery staple").await?.decrypt(&note).await?, br#"{"title":"hello"}"#);
//! # Ok::<(), CryptoError>(())
//! # }).unwrap();
//! ```
//!
//! # Backends
//! Every [`Backend`] is byte-compatible (published vectors and cross-tests: what one seals the
//! others open, byte for byte): `backends::Ring` (*ring* via `ring-compat`, the named
//! dependency), [`backends::RustCrypto`] (`aes-gcm` 0.11, `pbkdf2` 0.13, `sha2` 0.11) and, in the
//! browser, `backends::WebCrypto` (`SubtleCrypto` via `web-sys`). [`DefaultBackend`] takes each
//! primitive from whichever measured fastest in that place:
//!
//! - **browser** (`backends::Browser`): PBKDF2 on WebCrypto (3–5× the wasm crates); AES-GCM on
//!   RustCrypto for messages under 4 KiB (no promise round trip: 1.7–7× WebCrypto at 1 KiB, the size of
//!   a typical item) and on WebCrypto from 4 KiB up (3–8× the wasm crates at 64 KiB
//!   and 1 MiB). A batch of at least `backends::PARALLEL_BATCH` messages (a query decrypting
//!   every candidate, [`Cipher::decrypt_many`]) goes to WebCrypto whatever the size: issued
//!   together, they run on the browser's threads in parallel. Where `crypto.subtle` is missing (a page served over plain http) everything runs
//!   on RustCrypto. *ring* in wasm is C without assembly, slowest everywhere, and needs clang to
//!   build, so it is only compiled with the `crypto-bench` feature (benchmark and cross-tests).
//! - **native** (`backends::Native`): PBKDF2 on RustCrypto (`sha2` uses the SHA extensions: ~2×
//!   *ring*), AES-GCM on *ring* (AES-NI/CLMUL assembly: 2–3× RustCrypto at 64 KiB).
//!
//! ## Benchmark
//! Behind the `crypto-bench` feature, in `tests/crypto_bench.rs` (one run measures every backend;
//! needs `clang` for *ring* on wasm32: `apt-get install -y clang`):
//! ```text
//! WASM_BINDGEN_TEST_TIMEOUT=300 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown \
//!   -p localful-core --features crypto-bench --test crypto_bench -- --nocapture
//! cargo test --release -p localful-core --features crypto-bench --test crypto_bench -- --nocapture
//! ```
//! The figures that chose each default are in `benches/README.md` ("Crypto backends").
//!
//! In unoptimized (`cargo test`) builds PBKDF2 at 600 000 iterations takes seconds natively; the
//! tests wrap keys with [`MIN_ITERATIONS`] except where the default itself is under test.

mod backend;
pub mod backends;
mod cipher;
mod envelope;
#[cfg(target_arch = "wasm32")]
pub mod handoff;
mod key_check;
mod protected_key;
#[cfg(target_arch = "wasm32")]
pub mod local_keys;
mod server_password;
mod vault_key;

pub use backend::{Backend, KEY_LEN, RawKey, SALT_LEN, Sealed, random_array, random_key};
pub use cipher::{Cipher, CryptoError, EnvelopePart};
pub use envelope::{Envelope, IV_LEN, LEGACY_ITERATIONS, MAX_ITERATIONS, Metadata, SPEC_VERSION, TAG_LEN};
pub use key_check::KeyCheck;
pub use protected_key::{
    DEFAULT_ITERATIONS, MIN_ITERATIONS, change_password, change_password_with, create_protected_key, create_protected_key_with,
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
