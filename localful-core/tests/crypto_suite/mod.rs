//! Checks every crypto backend must pass, shared by `crypto_native.rs` and `crypto_browser.rs`.
//! Each is an async fn generic over the backend, so the same assertions run natively and in Chromium.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use localful_core::crypto::{
    Backend, Cipher, CryptoError, Envelope, EnvelopePart, MIN_ITERATIONS, Metadata, VaultKey, change_password_with,
    create_protected_key_with, server_password_with, unlock_with,
};
use zeroize::Zeroizing;

/// Iterations of envelopes the tests wrap by hand (keeps the byte-flip loops fast). Reading such
/// an envelope works (old vaults); writing one is refused ([`MIN_ITERATIONS`]).
pub const FAST: u32 = 100;

pub fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// Whether an error is one of the typed envelope/password errors (not a backend failure).
pub fn is_typed(error: &CryptoError) -> bool {
    matches!(
        error,
        CryptoError::WrongPassword
            | CryptoError::Tampered
            | CryptoError::MalformedEnvelope(_)
            | CryptoError::InvalidBase64(_)
            | CryptoError::InvalidMetadata(_)
            | CryptoError::Truncated
            | CryptoError::UnknownVersion(_)
    )
}

/// RFC 7914 §11 (PBKDF2-HMAC-SHA256 test vectors).
pub async fn pbkdf2_vectors<B: Backend>(backend: &B) {
    let cases: [(&[u8], &[u8], u32, &str); 2] = [
        (
            b"passwd",
            b"salt",
            1,
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc\
             49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
        ),
        (
            b"Password",
            b"NaCl",
            80_000,
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56\
             a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
        ),
    ];
    for (password, salt, iterations, expected) in cases {
        let derived = backend.pbkdf2_sha256(password, salt, iterations, 64).await.unwrap();
        assert_eq!(derived.as_slice(), hex(expected), "{} c={iterations}", backend.name());
    }
}

/// McGrew–Viega "The Galois/Counter Mode of Operation" test cases 13, 14 and 15 (AES-256, no AAD).
pub async fn aes_gcm_vectors<B: Backend>(backend: &B) {
    let k15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
    let p15 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
               1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    let c15 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
               8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad\
               b094dac5d93471bdec1a502270e3cc6c";
    let zero_key = "00".repeat(32);
    let cases = [
        (zero_key.as_str(), "000000000000000000000000", "", "530f8afbc74536b9a963b4f1c4cb738b"),
        (
            zero_key.as_str(),
            "000000000000000000000000",
            "00000000000000000000000000000000",
            "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919",
        ),
        (k15, "cafebabefacedbaddecaf888", p15, c15),
    ];
    for (key, iv, plaintext, expected) in cases {
        let key: [u8; 32] = hex(key).try_into().unwrap();
        let iv: [u8; 12] = hex(iv).try_into().unwrap();
        let key = backend.import_key(&key).await.unwrap();
        let sealed = backend.seal(&key, &iv, &hex(plaintext)).await.unwrap();
        assert_eq!(sealed, hex(expected), "{} seal", backend.name());
        assert_eq!(backend.open(&key, &iv, &sealed).await.unwrap(), hex(plaintext), "{} open", backend.name());
        let mut forged = sealed.clone();
        forged[0] ^= 1;
        assert_eq!(backend.open(&key, &iv, &forged).await, Err(CryptoError::Tampered));
    }
}

/// What `a` seals, `b` opens (and the bytes are identical), for sizes around block boundaries.
pub async fn seal_with_open_with<A: Backend, B: Backend>(a: &A, b: &B) {
    let raw = [0x42u8; 32];
    let (ka, kb) = (a.import_key(&raw).await.unwrap(), b.import_key(&raw).await.unwrap());
    for size in [0usize, 1, 15, 16, 17, 1024, 4095, 4096, 4097, 65_536 + 3] {
        let plaintext: Vec<u8> = (0..size).map(|i| (i * 7 + 3) as u8).collect();
        let iv = [size as u8; 12];
        let sealed = a.seal(&ka, &iv, &plaintext).await.unwrap();
        assert_eq!(sealed, b.seal(&kb, &iv, &plaintext).await.unwrap(), "{} vs {} at {size}", a.name(), b.name());
        assert_eq!(b.open(&kb, &iv, &sealed).await.unwrap(), plaintext, "{} -> {} at {size}", a.name(), b.name());
    }
    let derived_a = a.pbkdf2_sha256(b"pw", b"0123456789abcdef", 1234, 32).await.unwrap();
    let derived_b = b.pbkdf2_sha256(b"pw", b"0123456789abcdef", 1234, 32).await.unwrap();
    assert_eq!(derived_a, derived_b);
}

/// A key wrapped by `a` unlocks with `b`; data encrypted by one decrypts with the other; a password
/// change by `b` keeps the key.
pub async fn protected_key_across<A: Backend + Clone, B: Backend + Clone>(a: A, b: B) {
    let (key_a, protected) = create_protected_key_with(a.clone(), "pässwörd 🔑", MIN_ITERATIONS).await.unwrap();
    let key_b = unlock_with(b.clone(), &protected, "pässwörd 🔑").await.unwrap();
    assert!(key_b.same_key_as(&key_a));
    let envelope = key_a.encrypt(br#"{"title":"hello"}"#).await.unwrap();
    assert_eq!(key_b.decrypt(&envelope).await.unwrap(), br#"{"title":"hello"}"#);
    let envelope = key_b.encrypt(b"back").await.unwrap();
    assert_eq!(key_a.decrypt(&envelope).await.unwrap(), b"back");

    let rewrapped = change_password_with(b.clone(), &protected, "pässwörd 🔑", "new", MIN_ITERATIONS).await.unwrap();
    assert_ne!(rewrapped, protected);
    assert!(unlock_with(a.clone(), &rewrapped, "new").await.unwrap().same_key_as(&key_a));
    assert_eq!(unlock_with(a.clone(), &rewrapped, "pässwörd 🔑").await.err(), Some(CryptoError::WrongPassword));
    // The data encrypted before the change still decrypts: nothing was re-encrypted.
    let after = unlock_with(a, &rewrapped, "new").await.unwrap();
    assert_eq!(after.decrypt(&envelope).await.unwrap(), b"back");
}

/// `key` wrapped with `password` at [`FAST`] iterations, by hand: what a vault of an older
/// release (or another implementation) may hold.
async fn wrap_fast<B: Backend>(backend: &B, key: &VaultKey<B>, password: &str) -> String {
    let (salt, iv) = ([4u8; 16], [6u8; 12]);
    let unlock_raw = backend.pbkdf2_sha256(password.as_bytes(), &salt, FAST, 32).await.unwrap();
    let unlock_key = backend.import_key(&unlock_raw.as_slice().try_into().unwrap()).await.unwrap();
    let ciphertext = backend.seal(&unlock_key, &iv, key.export_raw().unwrap().as_slice()).await.unwrap();
    Envelope { metadata: Metadata { iv, salt: Some(salt.to_vec()), iterations: Some(FAST) }, ciphertext }.encode()
}

/// A key is never wrapped with fewer than [`MIN_ITERATIONS`]; an old envelope with fewer still
/// unlocks, and a password change re-wraps it with enough.
pub async fn too_few_iterations_are_refused_on_write<B: Backend + Clone>(backend: B) {
    let below = MIN_ITERATIONS - 1;
    for iterations in [0, 1, FAST, below] {
        let created = create_protected_key_with(backend.clone(), "pw", iterations).await;
        assert_eq!(created.err(), Some(CryptoError::TooFewIterations(iterations)));
    }
    let key = VaultKey::from_raw_with(backend.clone(), Zeroizing::new([8u8; 32])).await.unwrap();
    let old = wrap_fast(&backend, &key, "pw").await;
    assert!(unlock_with(backend.clone(), &old, "pw").await.unwrap().same_key_as(&key));
    let refused = change_password_with(backend.clone(), &old, "pw", "new", below).await;
    assert_eq!(refused.err(), Some(CryptoError::TooFewIterations(below)));
    let rewrapped = change_password_with(backend.clone(), &old, "pw", "new", MIN_ITERATIONS).await.unwrap();
    assert_eq!(Envelope::decode(&rewrapped).unwrap().metadata.iterations, Some(MIN_ITERATIONS));
    assert!(unlock_with(backend, &rewrapped, "new").await.unwrap().same_key_as(&key));
}

/// An envelope without `iterations` (as the original Localful wrote them) is read with 100 000.
pub async fn legacy_iterations<B: Backend + Clone>(backend: B) {
    let key = VaultKey::from_raw_with(backend.clone(), Zeroizing::new([5u8; 32])).await.unwrap();
    // An original-Localful envelope: no iterations field, 100 000 iterations.
    let salt = [9u8; 16];
    let iv = [3u8; 12];
    let unlock_raw = backend.pbkdf2_sha256(b"pw", &salt, 100_000, 32).await.unwrap();
    let unlock_key = backend.import_key(&unlock_raw.as_slice().try_into().unwrap()).await.unwrap();
    let ciphertext = backend.seal(&unlock_key, &iv, key.export_raw().unwrap().as_slice()).await.unwrap();
    let legacy = Envelope { metadata: Metadata { iv, salt: Some(salt.to_vec()), iterations: None }, ciphertext };
    let legacy = legacy.encode();
    assert_eq!(Envelope::decode(&legacy).unwrap().metadata.iterations, None);
    assert!(unlock_with(backend, &legacy, "pw").await.unwrap().same_key_as(&key));
}

/// Wrong password, every flipped byte, every truncation, unknown version, bad base64, bad JSON:
/// each a typed error, and the original envelopes still work afterwards.
pub async fn every_corruption_is_a_typed_error<B: Backend + Clone>(backend: B) {
    let key = VaultKey::from_raw_with(backend.clone(), Zeroizing::new([2u8; 32])).await.unwrap();
    let protected = wrap_fast(&backend, &key, "right").await;
    let data = key.encrypt(b"secret note").await.unwrap();

    assert_eq!(unlock_with(backend.clone(), &protected, "wrong").await.err(), Some(CryptoError::WrongPassword));
    assert_eq!(
        change_password_with(backend.clone(), &protected, "wrong", "new", MIN_ITERATIONS).await.err(),
        Some(CryptoError::WrongPassword)
    );
    let other = VaultKey::from_raw_with(backend.clone(), Zeroizing::new([7u8; 32])).await.unwrap();
    assert_eq!(other.decrypt(&data).await, Err(CryptoError::Tampered));

    for (i, _) in data.char_indices() {
        let flipped = flip(&data, i);
        let result = key.decrypt(&flipped).await;
        assert!(matches!(&result, Err(e) if is_typed(e)), "data flipped at {i}: {flipped} -> {result:?}");
    }
    for (i, _) in protected.char_indices() {
        let flipped = flip(&protected, i);
        let result = unlock_with(backend.clone(), &flipped, "right").await;
        assert!(matches!(&result, Err(e) if is_typed(e)), "key flipped at {i}: {flipped} -> {:?}", result.err());
    }
    for end in 0..data.len() {
        let result = key.decrypt(&data[..end]).await;
        assert!(matches!(&result, Err(e) if is_typed(e)), "data cut at {end}: {result:?}");
    }
    for end in 0..protected.len() {
        let result = unlock_with(backend.clone(), &protected[..end], "right").await;
        assert!(matches!(&result, Err(e) if is_typed(e)), "key cut at {end}: {:?}", result.err());
    }
    let (_, metadata_and_ciphertext) = data.split_once(':').unwrap();
    let (metadata, ciphertext) = metadata_and_ciphertext.split_once(':').unwrap();
    let cases: [(String, CryptoError); 5] = [
        (format!("v2:{metadata_and_ciphertext}"), CryptoError::UnknownVersion("v2".into())),
        (format!("v1:{metadata}:{}", &ciphertext[1..]), CryptoError::InvalidBase64(EnvelopePart::Ciphertext)),
        (format!("v1:*{}:{ciphertext}", &metadata[1..]), CryptoError::InvalidBase64(EnvelopePart::Metadata)),
        (
            format!("v1:e30=:{ciphertext}"),
            CryptoError::InvalidMetadata("the metadata lacks a required field or has one of the wrong type (line 1, column 2)".into()),
        ),
        (format!("v1:{}:{ciphertext}", b64(b"{\"iv\":")), CryptoError::InvalidMetadata(String::new())),
    ];
    for (text, expected) in cases {
        let result = key.decrypt(&text).await;
        match (&result, &expected) {
            (Err(CryptoError::InvalidMetadata(_)), CryptoError::InvalidMetadata(m)) if m.is_empty() => {}
            _ => assert_eq!(result, Err(expected), "{text}"),
        }
    }

    // Nothing was changed by any of it: both envelopes still work with the right secrets.
    assert!(unlock_with(backend, &protected, "right").await.unwrap().same_key_as(&key));
    assert_eq!(key.decrypt(&data).await.unwrap(), b"secret note");
}

/// No decoding error repeats what it was given: text passed to `decrypt` by mistake (a plaintext,
/// a note with colons, a value in the metadata) must not end up in a log or on screen.
pub async fn errors_never_echo_their_input<B: Backend + Clone>(backend: B) {
    let key = VaultKey::from_raw_with(backend, Zeroizing::new([3u8; 32])).await.unwrap();
    let secret = "hunter2-secret";
    let inputs = [
        secret.to_owned(),
        format!("{secret}: my note"),
        format!("{secret}:a:b"),
        format!("v1:{}:AAAAAAAAAAAAAAAAAAAAAA==", b64(format!(r#""{secret}""#).as_bytes())),
        format!("v1:{}:AAAAAAAAAAAAAAAAAAAAAA==", b64(format!(r#"{{"iv":"{secret}"}}"#).as_bytes())),
        format!("v1:{}:AAAAAAAAAAAAAAAAAAAAAA==", b64(format!(r#"{{"iv":1,"{secret}":2}}"#).as_bytes())),
        format!("v1:{}:AAAAAAAAAAAAAAAAAAAAAA==", b64(format!(r#"{{"iv":["{secret}"]}}"#).as_bytes())),
        format!("v1:{secret}:{secret}"),
    ];
    for input in inputs {
        let error = key.decrypt(&input).await.expect_err(&input);
        assert!(is_typed(&error), "{input}: {error:?}");
        let (shown, debug) = (error.to_string(), format!("{error:?}"));
        assert!(!shown.contains("hunter2") && !debug.contains("hunter2"), "{input} gave {debug}");
    }
}

/// The server password of a fixed account (expected value from Python's `hashlib.pbkdf2_hmac`).
pub async fn server_password_vector<B: Backend>(backend: &B) {
    let sent = server_password_with(backend, "hunter2", "ada@example.com", "my-app-salt").await.unwrap();
    assert_eq!(sent, "d8bb83c987309b41618221a728ee93ab724ebca9a46a889bafe3fd15f7718f29");
}

fn flip(text: &str, index: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes[index] ^= 0x01;
    String::from_utf8(bytes).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `lock()` on one clone wipes the key for every clone: each then fails with `Locked`.
pub async fn lock_wipes_every_clone<B: Backend + Clone>(backend: B) {
    let key = VaultKey::from_raw_with(backend, Zeroizing::new([1u8; 32])).await.unwrap();
    let clone = key.clone();
    let envelope = clone.encrypt(b"before").await.unwrap();
    key.lock();
    assert!(clone.is_locked());
    assert_eq!(clone.decrypt(&envelope).await, Err(CryptoError::Locked));
    assert_eq!(clone.encrypt(b"after").await, Err(CryptoError::Locked));
    assert_eq!(clone.export_raw().err(), Some(CryptoError::Locked));
}

/// `decrypt_many` gives each envelope the result `decrypt` gives it, in its place: good ones among
/// tampered, malformed and another key's, in batches on both sides of the browser's parallel
/// threshold; a locked key fails every one with `Locked`.
pub async fn decrypt_many_matches_decrypt_one_by_one<B: Backend + Clone>(backend: B) {
    let key = VaultKey::from_raw_with(backend.clone(), Zeroizing::new([4u8; 32])).await.unwrap();
    let other = VaultKey::from_raw_with(backend, Zeroizing::new([5u8; 32])).await.unwrap();
    let mut envelopes = Vec::new();
    for i in 0..40usize {
        let plaintext = format!("note {i} {}", "x".repeat(i * 37));
        envelopes.push(match i % 10 {
            3 => other.encrypt(plaintext.as_bytes()).await.unwrap(),
            5 => flip(&key.encrypt(plaintext.as_bytes()).await.unwrap(), 40),
            7 => "v1:not an envelope".to_owned(),
            _ => key.encrypt(plaintext.as_bytes()).await.unwrap(),
        });
    }
    for size in [0, 1, 3, 8, 9, 40] {
        let batch: Vec<&str> = envelopes[..size].iter().map(String::as_str).collect();
        let many = key.decrypt_many(&batch).await;
        assert_eq!(many.len(), size);
        for (i, (envelope, result)) in batch.iter().zip(&many).enumerate() {
            assert_eq!(result, &key.decrypt(envelope).await, "batch of {size}, envelope {i}");
            assert_eq!(result.is_ok(), ![3, 5, 7].contains(&(i % 10)), "batch of {size}, envelope {i}: {result:?}");
        }
    }
    key.lock();
    let batch: Vec<&str> = envelopes.iter().map(String::as_str).collect();
    assert!(key.decrypt_many(&batch).await.iter().all(|r| r == &Err(CryptoError::Locked)));
}
