//! The password the server sees: derived from the account password so the server never learns it.

use std::fmt::Write as _;

use super::backend::Backend;
use super::cipher::CryptoError;
use super::DefaultBackend;

/// PBKDF2 iterations of the server-password derivation (the original Localful's value; changing it
/// would lock every existing account out).
pub const SERVER_PASSWORD_ITERATIONS: u32 = 100_000;

/// The server password: the second half, as lowercase hex, of the 512-bit
/// PBKDF2-HMAC-SHA256(account password, salt = email ‖ app salt, [`SERVER_PASSWORD_ITERATIONS`]).
///
/// # Example
/// ```
/// # futures::executor::block_on(async {
/// use localful_core::crypto::server_password;
///
/// let sent = server_password("hunter2", "ada@example.com", "my-app-salt").await?;
/// assert_eq!(sent, "d8bb83c987309b41618221a728ee93ab724ebca9a46a889bafe3fd15f7718f29");
/// # Ok::<(), localful_core::crypto::CryptoError>(())
/// # }).unwrap();
/// ```
pub async fn server_password(password: &str, email: &str, app_salt: &str) -> Result<String, CryptoError> {
    server_password_with(&DefaultBackend::default(), password, email, app_salt).await
}

/// [`server_password`] with a chosen backend.
pub async fn server_password_with<B: Backend>(
    backend: &B,
    password: &str,
    email: &str,
    app_salt: &str,
) -> Result<String, CryptoError> {
    let salt = [email.as_bytes(), app_salt.as_bytes()].concat();
    let account_key = backend.pbkdf2_sha256(password.as_bytes(), &salt, SERVER_PASSWORD_ITERATIONS, 64).await?;
    let second_half = account_key.get(32..).ok_or_else(|| CryptoError::Backend(String::from("short PBKDF2 output")))?;
    Ok(second_half.iter().fold(String::with_capacity(64), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    }))
}
