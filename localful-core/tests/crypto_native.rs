//! The crypto backends natively: published vectors, cross-backend byte compatibility, key wrapping
//! and every kind of corrupted envelope.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod crypto_suite;

use futures::executor::block_on;
use localful_core::crypto::backends::{Native, Ring, RustCrypto};
use localful_core::crypto::{
    Cipher, CryptoError, Envelope, KeyCheck, VaultKey, create_protected_key, unlock_with,
};

#[test]
fn pbkdf2_matches_rfc_7914() {
    block_on(crypto_suite::pbkdf2_vectors(&Ring));
    block_on(crypto_suite::pbkdf2_vectors(&RustCrypto));
}

#[test]
fn aes_gcm_matches_mcgrew_viega() {
    block_on(crypto_suite::aes_gcm_vectors(&Ring));
    block_on(crypto_suite::aes_gcm_vectors(&RustCrypto));
    block_on(crypto_suite::aes_gcm_vectors(&Native));
}

#[test]
fn ring_and_rustcrypto_are_byte_compatible() {
    block_on(crypto_suite::seal_with_open_with(&Ring, &RustCrypto));
    block_on(crypto_suite::seal_with_open_with(&RustCrypto, &Ring));
    block_on(crypto_suite::seal_with_open_with(&Native, &RustCrypto));
}

#[test]
fn a_key_wrapped_by_one_backend_unlocks_with_the_other() {
    block_on(crypto_suite::protected_key_across(Ring, RustCrypto));
    block_on(crypto_suite::protected_key_across(RustCrypto, Ring));
    block_on(crypto_suite::protected_key_across(Native, Ring));
}

#[test]
fn old_envelopes_without_iterations_use_100k() {
    block_on(crypto_suite::legacy_iterations(Ring));
}

#[test]
fn every_corruption_is_a_typed_error() {
    // The errors come from the shared code above the backends; RustCrypto's own part (a failed tag
    // is `Tampered`) is checked with the vectors.
    // Ring's PBKDF2 is the fastest in unoptimized test builds (the loop re-derives per flip).
    block_on(crypto_suite::every_corruption_is_a_typed_error(Ring));
}

#[test]
fn too_few_iterations_are_refused_on_write() {
    block_on(crypto_suite::too_few_iterations_are_refused_on_write(Native));
}

#[test]
fn errors_never_echo_their_input() {
    block_on(crypto_suite::errors_never_echo_their_input(Ring));
}

#[test]
fn a_key_check_tells_the_vaults_key_from_any_other() {
    block_on(async {
        let key = VaultKey::generate().await.unwrap();
        let check = KeyCheck::of(&key).await.unwrap();
        check.verify(&key).await.unwrap();
        let stored = KeyCheck::from_stored(check.as_str());
        stored.verify(&key).await.unwrap();
        let other = VaultKey::generate().await.unwrap();
        assert_eq!(stored.verify(&other).await, Err(CryptoError::WrongKey));
        // Another envelope of the same key (not a check) does not pass for one.
        let note = KeyCheck::from_stored(key.encrypt(b"a note").await.unwrap());
        assert_eq!(note.verify(&key).await, Err(CryptoError::WrongKey));
        key.lock();
        assert_eq!(check.verify(&key).await, Err(CryptoError::Locked));
    });
}

#[test]
fn server_password_is_the_second_half_in_hex() {
    block_on(crypto_suite::server_password_vector(&Ring));
    block_on(crypto_suite::server_password_vector(&RustCrypto));
}

#[test]
fn default_api_uses_600k_iterations() {
    block_on(async {
        let (key, protected) = create_protected_key("open sesame").await.unwrap();
        assert_eq!(Envelope::decode(&protected).unwrap().metadata.iterations, Some(600_000));
        let note = key.encrypt(b"note").await.unwrap();
        // Unlocking with the default too would double the slowest test (600 000 iterations,
        // unoptimized); the default's unlock path is the same code as `unlock_with`.
        let unlocked = unlock_with(Ring, &protected, "open sesame").await.unwrap();
        assert_eq!(unlocked.decrypt(&note).await.unwrap(), b"note");
    });
}

#[test]
fn two_encryptions_of_the_same_text_differ() {
    block_on(async {
        let key = VaultKey::generate().await.unwrap();
        let (a, b) = (key.encrypt(b"same").await.unwrap(), key.encrypt(b"same").await.unwrap());
        assert_ne!(a, b, "a fresh IV per message");
        assert_eq!(key.decrypt(&a).await.unwrap(), key.decrypt(&b).await.unwrap());
    });
}

#[test]
fn lock_wipes_every_clone() {
    block_on(crypto_suite::lock_wipes_every_clone(Ring));
}

#[test]
fn decrypt_many_matches_decrypt_one_by_one() {
    block_on(crypto_suite::decrypt_many_matches_decrypt_one_by_one(Native));
    block_on(crypto_suite::decrypt_many_matches_decrypt_one_by_one(RustCrypto));
}
