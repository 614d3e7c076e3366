//! `tickets` queries: single-use sync tickets, stored as hashes.

use crate::model::parsed;
use localful_protocol::UserId;
use sqlx::{AnyConnection, Row};

pub(crate) async fn insert(
    c: &mut AnyConnection,
    hash: &str,
    session_id: &str,
    user_id: UserId,
    expires_at_ms: i64,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tickets WHERE expires_at_ms < $1").bind(now_ms).execute(&mut *c).await?;
    sqlx::query("INSERT INTO tickets (ticket_hash, session_id, user_id, expires_at_ms) VALUES ($1, $2, $3, $4)")
        .bind(hash)
        .bind(session_id)
        .bind(user_id.to_string())
        .bind(expires_at_ms)
        .execute(c)
        .await?;
    Ok(())
}

/// Removes and returns the ticket `(session_id, user_id, expires_at_ms)`: a second take finds nothing.
pub(crate) async fn take(c: &mut AnyConnection, hash: &str) -> Result<Option<(String, UserId, i64)>, sqlx::Error> {
    let row = sqlx::query("DELETE FROM tickets WHERE ticket_hash = $1 RETURNING session_id, user_id, expires_at_ms")
        .bind(hash)
        .fetch_optional(c)
        .await?;
    row.map(|r| Ok((r.try_get("session_id")?, parsed(&r, "user_id")?, r.try_get("expires_at_ms")?))).transpose()
}
