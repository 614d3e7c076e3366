//! `users` queries.

use crate::model::{USER_COLS, UserRow};
use localful_protocol::UserId;
use sqlx::{AnyConnection, Row};

pub(crate) async fn insert(c: &mut AnyConnection, row: &UserRow) -> Result<(), sqlx::Error> {
    let u = &row.user;
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, verified_at, first_verified_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(u.id.to_string())
    .bind(&u.email)
    .bind(&u.display_name)
    .bind(&row.password_hash)
    .bind(&u.role)
    .bind(u.verified_at.map(|t| t.to_string()))
    .bind(u.first_verified_at.map(|t| t.to_string()))
    .bind(u.created_at.to_string())
    .bind(u.updated_at.to_string())
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn by_id(c: &mut AnyConnection, id: UserId) -> Result<Option<UserRow>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {USER_COLS} FROM users WHERE id = $1")))
        .bind(id.to_string())
        .fetch_optional(c)
        .await?;
    row.as_ref().map(UserRow::from_row).transpose()
}

pub(crate) async fn by_email(c: &mut AnyConnection, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {USER_COLS} FROM users WHERE lower(email) = lower($1)")))
        .bind(email)
        .fetch_optional(c)
        .await?;
    row.as_ref().map(UserRow::from_row).transpose()
}

pub(crate) async fn email_taken(c: &mut AnyConnection, email: &str, except_id: UserId) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE lower(email) = lower($1) AND id <> $2")
        .bind(email)
        .bind(except_id.to_string())
        .fetch_one(c)
        .await?
        .try_get("n")?;
    Ok(n > 0)
}

pub(crate) async fn update(c: &mut AnyConnection, row: &UserRow) -> Result<(), sqlx::Error> {
    let u = &row.user;
    sqlx::query("UPDATE users SET email = $2, display_name = $3, password_hash = $4, updated_at = $5 WHERE id = $1")
        .bind(u.id.to_string())
        .bind(&u.email)
        .bind(&u.display_name)
        .bind(&row.password_hash)
        .bind(u.updated_at.to_string())
        .execute(c)
        .await?;
    Ok(())
}

/// Deletes the user and everything it owns (explicitly, not relying on cascades).
pub(crate) async fn delete(c: &mut AnyConnection, id: UserId) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM changes WHERE vault_id IN (SELECT id FROM vaults WHERE owner_id = $1)",
        "DELETE FROM versions WHERE vault_id IN (SELECT id FROM vaults WHERE owner_id = $1)",
        "DELETE FROM items WHERE vault_id IN (SELECT id FROM vaults WHERE owner_id = $1)",
        "DELETE FROM vaults WHERE owner_id = $1",
        "DELETE FROM tickets WHERE user_id = $1",
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM users WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id.to_string()).execute(&mut *c).await?;
    }
    Ok(())
}
