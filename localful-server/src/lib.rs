//! # localful-server
//!
//! The self-hostable sync server of Localful: an HTTP API under `/v1` (axum) and socket.io sync
//! at namespace `/sync` (socketioxide) over SQLite by default or Postgres (sqlx).
//!
//! The library exposes [`Config`], [`app`] (the router, for tests and embedding) and [`serve`]
//! (bind, serve, shut down gracefully); the binary `localful-server` wraps them.
//!
//! ## Layers
//! `routes` (one module per resource: parse, authenticate) → `services` (ownership, limits, one
//! transaction per write, the change log, events after commit) → `db` (sqlx queries, one module
//! per table); `sync` holds the socket.io namespace and the event fan-out.
//!
//! ## Choices where SPEC.md is silent
//! - **Storage types.** sqlx's `Any` driver has no UUID or date types: ids are canonical
//!   lowercase UUID text, timestamps RFC 3339 UTC millisecond text (`2026-01-02T03:04:05.678Z`,
//!   chronological as strings), expiries integer milliseconds. One set of queries with `$n`
//!   placeholders serves both dialects; the migrations differ only in `INTEGER`/`BIGINT`.
//! - **SQLite** uses a single pooled connection (no busy errors between writers); Postgres is the
//!   path to scale and to several processes.
//! - **Validation.** Bodies deny unknown fields, so every forbidden field (`ownerId`, `role`,
//!   `updatedAt`, a user `id`, ...) is a `400 request-invalid`, like a wrong type, a missing field,
//!   an empty or overlong string, a string with a NUL character (U+0000, which Postgres cannot
//!   store: refused on SQLite too, so the backends agree), a non-UUID or a non-RFC 3339 time.
//!   `context` holds the failing `path`. PATCH fields may be absent but not `null` (except vault
//!   `protectedData`, which `null` clears). Limits: display name 1..=100 chars, password 8..=256,
//!   vault name 1..=255, `protectedEncryptionKey` 1..=16384, vault `protectedData` ..=65536,
//!   `type` 1..=100, `deviceName` 1..=255, `schemaVersion` a `u32`; version `protectedData` is
//!   bounded by the configured `versionBytes` (`403 limit-exceeded`).
//! - **Statuses.** 401 `access-unauthorized` (no token), 401 `auth-token-invalid` (expired, forged,
//!   reused, revoked), 403 `access-forbidden` (another user's user), 404 `vault-not-found` /
//!   `resource-not-found` (another user's vault, item or version: existence is not revealed),
//!   409 `resource-not-unique` / `user-email-exists` / `vault-name-exists`, 400
//!   `resource-relationship-invalid` (a version naming an item that is not yours), 403
//!   `limit-exceeded`, 403 `user-registration-disabled`, 429 `rate-limited`, 503 `system-busy`
//!   (password hashing at its bound). The last two carry `Retry-After` (and
//!   `context.retryAfterSeconds`).
//! - **Tokens.** HS256 JWTs signed with `LOCALFUL_TOKEN_SECRET`, or with a secret generated once
//!   and stored in the database (shared by all processes). Access tokens carry `sub`, `sid`;
//!   refresh tokens also `cid`, compared with the session's counter: a stale `cid` revokes the
//!   session. Every authenticated request checks the session is not revoked, so logout is
//!   immediate. Passwords are argon2id PHC strings.
//! - **Deletion.** `DELETE /v1/vaults/:id` removes the vault with everything in it (devices hear
//!   `vault-delete`); items and versions are tombstoned (`deletedAt` set, data dropped).
//! - **Change log.** Every item/version change takes the vault's next `seq` in the writing
//!   transaction. `GET /v1/vaults/:id/changes?since=&limit=` answers entries
//!   `{seq, event, vaultId, createdAt, item|version}` with the entity's current state, and
//!   `meta.latestSeq`. The socket events `item-*`/`version-*` carry the same entry.
//!   Vault events carry the vault (`vault-delete`: `{id}`), user events `{user}` / `{id}`.
//! - **Sync socket.** Ticket CONNECT auth; a missing or disallowed `Origin` is refused with
//!   `access-forbidden` unless `*` is allowed. `refresh-ticket` is emitted every
//!   `LOCALFUL_TICKET_REFRESH_INTERVAL` seconds and must be answered within the ticket lifetime
//!   (15 s). `push` acks each id. The crate's `README.md` lists every event and ack shape.
//! - **Fan-out.** With Postgres, events go through `LISTEN/NOTIFY` on a channel named after the
//!   current schema; every process delivers to its own sockets. (Hand-written rather than
//!   socketioxide's adapter crates: the same message also carries "disconnect this session's
//!   older socket" and logout, and payloads over NOTIFY's 8000 bytes travel as a reference to the
//!   change log.) Redis is not implemented.
//! - **Time.** Whatever decides behaviour by time (token, session and ticket expiry, the
//!   `refresh-ticket` schedule, rate-limit windows) reads the server's [`Clock`]: the wall clock
//!   by default, a [`ManualClock`] in tests ([`Server::bind_with_clock`]).
//! - **Rate limiting** counts per process and per client IP (the TCP peer: behind a reverse proxy
//!   all clients share one bucket).
//! - **Password hashing** (argon2id, 19 MiB each by default) runs at most
//!   `LOCALFUL_PASSWORD_HASH_CONCURRENCY` at once (default: the CPU count), on as many threads of
//!   its own, each keeping one hash's memory; a bounded queue waits for a turn at most
//!   `LOCALFUL_PASSWORD_HASH_WAIT` seconds on the server's clock; beyond either bound, `503
//!   system-busy`. Memory stays bounded whatever the login rate.

mod auth;
mod clock;
mod config;
mod db;
mod error;
mod extract;
mod fields;
mod model;
mod requests;
mod routes;
mod serve;
mod services;
mod state;
mod sync;

pub use clock::{Clock, ManualClock, Sleep, SystemClock};
pub use config::Config;
pub use error::{AppError, ErrorKind};
pub use routes::app;
pub use serve::{Server, serve};
pub use services::AuthCtx;
pub use state::AppState;
