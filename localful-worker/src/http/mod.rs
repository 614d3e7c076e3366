//! The HTTP API client (SPEC "Server"): register, log in, refresh, log out, sync tickets, vaults
//! and the change log, with typed errors.
//!
//! [`Api`] keeps the access and refresh tokens. An authenticated request answered
//! `401 auth-token-invalid` refreshes the tokens once and is retried; refreshes are serialised and
//! a request that failed with an access token that has since been replaced simply retries, so two
//! concurrent requests never spend the same refresh token (which would revoke the session). A
//! refresh answered after a login or logout has replaced the tokens is dropped: it neither clears
//! nor overwrites the newer session.
//!
//! [`sign_in`] is the page's half: logging in and registering run in the page (the account
//! password is turned into the server password there), and the page hands the sync worker only
//! the [`SignedIn`] session, which the worker [adopts](Api::adopt).
//!
//! The transport is `gloo-net` in the browser and `reqwest` natively (tests, tools), chosen in
//! this module; everything above it is the same code.

mod account;
mod api;
mod error;
#[cfg_attr(target_arch = "wasm32", path = "fetch_wasm.rs")]
#[cfg_attr(not(target_arch = "wasm32"), path = "fetch_native.rs")]
mod fetch;
mod fetch_answer;
mod token;

pub use account::{APP_SALT, Credentials, SignInError, SignedIn, sign_in};
pub use api::{Api, TokenListener};
pub use error::HttpError;
