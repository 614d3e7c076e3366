//! `sessions` queries: one row per login, with the refresh-token rotation counter `cid`.

use crate::model::parsed;
use localful_protocol::{Timestamp, UserId};
use sqlx::{AnyConnection, Row};

/// A login session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) user_id: UserId,
    pub(crate) cid: i64,
    pub(crate) expires_at_ms: i64,
    pub(crate) revoked: bool,
}

pub(crate) async fn insert(
    c: &mut AnyConnection,
    id: &str,
    user_id: UserId,
    created_at: Timestamp,
    expires_at_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sessions (id, user_id, cid, created_at, expires_at_ms) VALUES ($1, $2, 0, $3, $4)")
        .bind(id)
        .bind(user_id.to_string())
        .bind(created_at.to_string())
        .bind(expires_at_ms)
        .execute(c)
        .await?;
    Ok(())
}

pub(crate) async fn get(c: &mut AnyConnection, id: &str) -> Result<Option<Session>, sqlx::Error> {
    let row = sqlx::query("SELECT user_id, cid, expires_at_ms, revoked_at FROM sessions WHERE id = $1")
        .bind(id)
        .fetch_optional(c)
        .await?;
    row.map(|r| {
        Ok(Session {
            user_id: parsed(&r, "user_id")?,
            cid: r.try_get("cid")?,
            expires_at_ms: r.try_get("expires_at_ms")?,
            revoked: r.try_get::<Option<String>, _>("revoked_at")?.is_some(),
        })
    })
    .transpose()
}

/// Advances the counter from `cid` to `cid + 1`; `false` if another rotation won the race.
pub(crate) async fn rotate(c: &mut AnyConnection, id: &str, cid: i64, expires_at_ms: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sessions SET cid = cid + 1, expires_at_ms = $3 WHERE id = $1 AND cid = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(cid)
    .bind(expires_at_ms)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn revoke(c: &mut AnyConnection, id: &str, at: Timestamp) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(at.to_string())
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM tickets WHERE session_id = $1").bind(id).execute(c).await?;
    Ok(())
}

/// Revokes every live session of `user` but `keep`; returns the revoked ids.
pub(crate) async fn revoke_others(c: &mut AnyConnection, user: UserId, keep: &str, at: Timestamp) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query("SELECT id FROM sessions WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL")
        .bind(user.to_string())
        .bind(keep)
        .fetch_all(&mut *c)
        .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
    for id in &ids {
        revoke(c, id, at).await?;
    }
    Ok(ids)
}
