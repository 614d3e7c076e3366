//! # localful-server
//!
//! The self-hostable sync server of Localful: an HTTP API under `/v1` (axum) and socket.io sync
//! (socketioxide) over SQLite by default or Postgres (sqlx).
//!
//! The library exposes [`Config`], [`app`] (the router, for tests and embedding) and [`serve`]
//! (bind, serve, shut down gracefully); the binary `localful-server` wraps them.

mod config;
mod db;
mod error;
mod routes;
mod serve;
mod state;

pub use config::Config;
pub use error::AppError;
pub use routes::app;
pub use serve::{serve, Server};
pub use state::AppState;
