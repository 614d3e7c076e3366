//! The page's sign-in (`http::sign_in`) in headless Chromium against a real localful-server: the
//! server password derived with WebCrypto, the requests made with `gloo-net` from a page, the
//! session it returns accepted by the server, and refusals said as the server's identifier or in
//! plain words naming the page's origin.
//!
//! The server URL is read at compile time from `LOCALFUL_SYNC_SERVER_URL` (see `engine_browser.rs`
//! for how the test script starts it). Without the variable the test fails when `CI` was set at
//! build time, and otherwise says so and passes.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use localful_core::VaultId;
use localful_core::sync::SyncError;
use localful_core::wire::{ErrorKind, Tokens};
use localful_worker::http::{Api, Credentials, SignInError, SignedIn, sign_in};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn server_url() -> Option<&'static str> {
    let url = option_env!("LOCALFUL_SYNC_SERVER_URL");
    if url.is_none() {
        // `CI` as seen when this test was built: there, a missing server fails the run.
        let ci = option_env!("CI").is_some_and(|v| !v.is_empty());
        assert!(
            !ci,
            "sign_in_browser: LOCALFUL_SYNC_SERVER_URL not set at build time (CI is set: a missing server fails the run)"
        );
        web_sys::console::warn_1(&"sign_in_browser: LOCALFUL_SYNC_SERVER_URL not set at build time: skipped".into());
    }
    url
}

#[wasm_bindgen_test]
async fn a_page_registers_and_logs_in_and_the_session_it_gets_is_the_servers() {
    let Some(url) = server_url() else { return };
    let email = format!("{}@example.test", VaultId::new());
    let password = "an account passphrase";
    let register =
        Credentials::Register { email: email.clone(), display_name: "Page".into(), password: password.into() };
    let SignedIn { user, tokens } = sign_in(url, register.clone()).await.unwrap();
    assert_eq!((user.email.as_str(), user.display_name.as_str()), (email.as_str(), "Page"));

    // What the worker does with it: adopt the tokens and use them.
    let adopted = Api::new(url);
    adopted.adopt(tokens.clone());
    assert_eq!(adopted.current_user().await.unwrap().id, user.id);

    let taken = sign_in(url, register).await.unwrap_err();
    assert_eq!(taken.kind(), Some(&ErrorKind::UserEmailExists), "{taken}");

    let wrong = Credentials::LogIn { email: email.clone(), password: "not the passphrase".into() };
    let refused = sign_in(url, wrong).await.unwrap_err();
    assert_eq!(refused.kind(), Some(&ErrorKind::AuthCredentialsInvalid));
    assert_eq!(refused.to_string(), "Wrong email or password.", "plain words");
    assert!(matches!(refused.error(), SyncError::Server { kind: ErrorKind::AuthCredentialsInvalid, .. }), "{refused:?}");

    let again = sign_in(url, Credentials::LogIn { email, password: password.into() }).await.unwrap();
    assert_eq!(again.user.id, user.id);
    let Tokens { refresh_token, .. } = again.tokens;
    assert_ne!(refresh_token, tokens.refresh_token, "a login opens a new session");
}

#[wasm_bindgen_test]
async fn a_server_the_page_cannot_reach_is_said_in_words_with_the_pages_origin() {
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let credentials = Credentials::LogIn { email: "a@example.test".into(), password: "s3cret-account-pw".into() };
    // Nothing listens on the discard port (and Chromium does not even try it).
    let error = sign_in("http://127.0.0.1:9", credentials).await.unwrap_err();
    assert!(matches!(error, SignInError::Http { .. }), "{error:?}");
    let said = error.to_string();
    assert!(said.starts_with("Could not reach the sync server at http://127.0.0.1:9. "), "{said}");
    assert_eq!(error.error(), SyncError::Unreachable { server: "http://127.0.0.1:9".into(), origin: Some(origin.clone()) });
    assert!(said.contains(&format!("LOCALFUL_ALLOWED_ORIGINS={origin}")), "{said}");
    assert!(!said.contains("s3cret") && !format!("{error:?}").contains("s3cret"), "{said}");
}
