//! Sync tickets: single use, short-lived, bound to the session that asked for them.

use super::AuthCtx;
use crate::{
    auth::{random_token, sha256_hex},
    db,
    error::{AppError, AppResult, ErrorKind},
    state::AppState,
};

/// `POST /v1/sync/ticket`.
pub(crate) async fn issue(state: &AppState, auth: &AuthCtx) -> AppResult<String> {
    let ticket = random_token(32)?;
    let now = state.clock.now_millis();
    let ttl = state.config.ticket_ttl_secs.min(86_400) as i64 * 1000;
    let mut tx = state.pool.begin().await?;
    db::tickets::insert(&mut tx, &sha256_hex(&ticket), &auth.session_id, auth.user_id, now + ttl, now).await?;
    tx.commit().await?;
    Ok(ticket)
}

/// Consumes `ticket`: valid once, before it expires, while its session is live.
pub(crate) async fn redeem(state: &AppState, ticket: &str) -> AppResult<AuthCtx> {
    let invalid = || AppError::new(ErrorKind::AuthTokenInvalid, "The ticket is invalid, expired or used");
    let mut tx = state.pool.begin().await?;
    let taken = db::tickets::take(&mut tx, &sha256_hex(ticket)).await?;
    let session = match &taken {
        Some((sid, _, _)) => db::sessions::get(&mut tx, sid).await?,
        None => None,
    };
    tx.commit().await?;
    let (Some((session_id, user_id, expires)), Some(session)) = (taken, session) else { return Err(invalid()) };
    if expires <= state.clock.now_millis() || session.revoked || session.user_id != user_id {
        return Err(invalid());
    }
    Ok(AuthCtx { user_id, session_id })
}
