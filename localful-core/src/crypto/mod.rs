//! Encryption, spec v1: envelopes, key derivation, vault keys (see SPEC.md "Encryption").
//!
//! The store encrypts and decrypts through the [`Cipher`] trait, so it does not depend on which
//! implementation (WebCrypto in the browser, a Rust crate natively) does the work.

mod cipher;

pub use cipher::{Cipher, CryptoError};
