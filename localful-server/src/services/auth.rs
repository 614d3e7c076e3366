//! Registration, login, refresh-token rotation, logout and access-token checks.

use super::AuthCtx;
use crate::{
    auth::{jwt, password},
    db,
    error::{AppError, AppResult, ErrorKind},
    model::UserRow,
    requests,
    state::AppState,
    sync::events::{Broadcast, session_room},
};
use localful_protocol::{AuthResponse, Timestamp, Tokens, User, UserId};
use sqlx::AnyConnection;

/// The state's clock in whole seconds, as JWT `exp` is compared (a token is expired from its
/// `exp` second on, i.e. from millisecond `exp * 1000`).
fn now_secs(state: &AppState) -> i64 {
    state.clock.now_millis().div_euclid(1000)
}

fn token_invalid() -> AppError {
    AppError::new(ErrorKind::AuthTokenInvalid, "The token is invalid, expired or revoked")
}

/// A JWT `exp` (whole seconds) at least `ttl_millis` after `now_millis`: rounded up, so that a
/// short lifetime is not cut by up to a second (a 1 s token issued at 10.9 s lives until 12 s).
fn expiry_secs(now_millis: i64, ttl_millis: i64) -> i64 {
    (now_millis.saturating_add(ttl_millis).saturating_add(999)) / 1000
}

fn issue(state: &AppState, user_id: UserId, sid: &str, cid: i64) -> Tokens {
    let now_millis = state.clock.now_millis();
    let now = now_millis.div_euclid(1000);
    let cfg = &state.config;
    let access = jwt::Claims {
        sub: user_id.to_string(),
        sid: sid.into(),
        cid: None,
        typ: jwt::TokenType::Access,
        iat: now,
        exp: expiry_secs(now_millis, ttl_millis(cfg.access_token_ttl_secs)),
    };
    let refresh = jwt::Claims {
        sub: user_id.to_string(),
        sid: sid.into(),
        cid: Some(cid),
        typ: jwt::TokenType::Refresh,
        iat: now,
        exp: expiry_secs(now_millis, refresh_ttl(state)),
    };
    Tokens { access_token: jwt::sign(&access, &state.secret), refresh_token: jwt::sign(&refresh, &state.secret) }
}

/// A configured lifetime in seconds as milliseconds, clamped far below overflow.
fn ttl_millis(secs: u64) -> i64 {
    (secs.min(i64::MAX as u64 / 4000) as i64) * 1000
}

fn refresh_ttl(state: &AppState) -> i64 {
    ttl_millis(state.config.refresh_token_ttl_secs)
}

async fn new_session(c: &mut AnyConnection, state: &AppState, user_id: UserId) -> AppResult<Tokens> {
    let sid = uuid::Uuid::new_v4().hyphenated().to_string();
    let expires = state.clock.now_millis().saturating_add(refresh_ttl(state));
    db::sessions::insert(c, &sid, user_id, Timestamp::now(), expires).await?;
    Ok(issue(state, user_id, &sid, 0))
}

/// `{user, tokens}` of a registration or login.
fn signed_in(user: User, tokens: Tokens) -> AuthResponse {
    AuthResponse { user: Some(user), tokens }
}

/// `POST /v1/users`.
pub(crate) async fn register(state: &AppState, body: requests::Register) -> AppResult<AuthResponse> {
    if !state.config.registration_enabled {
        return Err(AppError::new(ErrorKind::UserRegistrationDisabled, "Registration is disabled on this server"));
    }
    let email_exists = || AppError::new(ErrorKind::UserEmailExists, "A user with this email exists");
    if db::users::by_email(&mut *state.pool.acquire().await?, body.email.as_str()).await?.is_some() {
        return Err(email_exists());
    }
    let cfg = &state.config;
    let hash = password::hash(&state.hashing, body.password.into_string(), cfg.argon2_memory_kib, cfg.argon2_iterations).await?;
    let now = Timestamp::now();
    let user = User {
        id: UserId::new(),
        email: body.email.as_str().into(),
        display_name: body.display_name.into_string(),
        verified_at: None,
        first_verified_at: None,
        role: "user".into(),
        created_at: now,
        updated_at: now,
    };
    let row = UserRow { user, password_hash: hash };
    let mut tx = state.pool.begin().await?;
    db::users::insert(&mut tx, &row).await.map_err(super::unique_to(ErrorKind::UserEmailExists, "A user with this email exists"))?;
    let tokens = new_session(&mut tx, state, row.user.id).await?;
    tx.commit().await?;
    tracing::info!(user = %row.user.id, "user registered");
    Ok(signed_in(row.user, tokens))
}

/// `POST /v1/auth/login`.
pub(crate) async fn login(state: &AppState, body: requests::Login) -> AppResult<AuthResponse> {
    let invalid = || AppError::new(ErrorKind::AuthCredentialsInvalid, "Wrong email or password");
    let user = db::users::by_email(&mut *state.pool.acquire().await?, body.email.as_str()).await?;
    let Some(UserRow { user, password_hash }) = user else {
        // Same cost as a real check, so response time does not reveal which emails exist (and the
        // same turn to wait: `system-busy` whether the email exists or not).
        let cfg = &state.config;
        password::hash(&state.hashing, body.password.into_string(), cfg.argon2_memory_kib, cfg.argon2_iterations).await?;
        return Err(invalid());
    };
    if !password::verify(&state.hashing, body.password.into_string(), password_hash).await? {
        return Err(invalid());
    }
    let mut tx = state.pool.begin().await?;
    let tokens = new_session(&mut tx, state, user.id).await?;
    tx.commit().await?;
    Ok(signed_in(user, tokens))
}

/// `POST /v1/auth/refresh`: rotates both tokens; a reused refresh token revokes its session.
pub(crate) async fn refresh(state: &AppState, token: &str) -> AppResult<Tokens> {
    let claims = jwt::verify(token, &state.secret, jwt::TokenType::Refresh, now_secs(state)).map_err(|_| token_invalid())?;
    let cid = claims.cid.ok_or_else(token_invalid)?;
    let mut tx = state.pool.begin().await?;
    let session = db::sessions::get(&mut tx, &claims.sid).await?.ok_or_else(token_invalid)?;
    let now = state.clock.now_millis();
    if session.revoked || session.user_id.to_string() != claims.sub || session.expires_at_ms <= now {
        return Err(token_invalid());
    }
    if session.cid != cid || !db::sessions::rotate(&mut tx, &claims.sid, cid, now.saturating_add(refresh_ttl(state))).await? {
        // A token older than the current one: it was stolen or replayed. End the session.
        db::sessions::revoke(&mut tx, &claims.sid, Timestamp::now()).await?;
        tx.commit().await?;
        tracing::warn!(session = %claims.sid, "refresh token reused; session revoked");
        state.events.publish(Broadcast::Disconnect { room: session_room(&claims.sid), replaced_by: None }).await;
        return Err(token_invalid());
    }
    tx.commit().await?;
    Ok(issue(state, session.user_id, &claims.sid, cid + 1))
}

/// `POST /v1/auth/logout`: revokes the session and disconnects its socket.
pub(crate) async fn logout(state: &AppState, token: &str) -> AppResult<()> {
    let claims = jwt::verify(token, &state.secret, jwt::TokenType::Refresh, now_secs(state)).map_err(|_| token_invalid())?;
    let mut tx = state.pool.begin().await?;
    let session = db::sessions::get(&mut tx, &claims.sid).await?.ok_or_else(token_invalid)?;
    if session.revoked || session.cid != claims.cid.unwrap_or(-1) {
        return Err(token_invalid());
    }
    db::sessions::revoke(&mut tx, &claims.sid, Timestamp::now()).await?;
    tx.commit().await?;
    state.events.publish(Broadcast::Disconnect { room: session_room(&claims.sid), replaced_by: None }).await;
    Ok(())
}

/// Checks an access token and that its session is live.
pub(crate) async fn authenticate(state: &AppState, token: &str) -> AppResult<AuthCtx> {
    let claims = jwt::verify(token, &state.secret, jwt::TokenType::Access, now_secs(state)).map_err(|_| token_invalid())?;
    let session = db::sessions::get(&mut *state.pool.acquire().await?, &claims.sid).await?.ok_or_else(token_invalid)?;
    if session.revoked || session.user_id.to_string() != claims.sub {
        return Err(token_invalid());
    }
    Ok(AuthCtx { user_id: session.user_id, session_id: claims.sid })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{ManualClock, config::Config, services::tickets};
    use serde_json::json;
    use std::sync::Arc;

    #[test]
    fn a_token_lives_at_least_its_lifetime_whatever_the_millisecond_it_is_issued() {
        assert_eq!(expiry_secs(10_000, 1_000), 11);
        assert_eq!(expiry_secs(10_001, 1_000), 12);
        assert_eq!(expiry_secs(10_999, 1_000), 12);
        assert_eq!(expiry_secs(10_900, 900_000), 911);
        assert_eq!(expiry_secs(i64::MAX - 10, 1_000), i64::MAX / 1000);
    }

    fn refused<T>(r: AppResult<T>) -> Option<ErrorKind> {
        r.err().map(|e| e.kind)
    }

    /// Half past a second: a token's `exp` (whole seconds) is rounded up, the session's and the
    /// tickets' expiries are exact milliseconds.
    const T0: i64 = 1_700_000_000_500;

    #[tokio::test]
    async fn tokens_sessions_and_tickets_expire_exactly_on_the_injected_clock() {
        let dir = std::env::temp_dir().join(format!("localful-unit-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut config = Config::for_tests(&dir);
        (config.access_token_ttl_secs, config.refresh_token_ttl_secs, config.ticket_ttl_secs) = (60, 120, 15);
        let clock = ManualClock::new(T0);
        let state = AppState::connect_with_clock(config, Arc::new(clock.clone())).await.unwrap();
        let (email, password) = ("a@example.test", "correct-horse");
        let body = json!({"email": email, "displayName": "A", "password": password});
        let a = register(&state, serde_json::from_value(body).unwrap()).await.unwrap().tokens;
        let b = login(&state, serde_json::from_value(json!({"email": email, "password": password})).unwrap()).await.unwrap().tokens;
        let auth = authenticate(&state, &a.access_token).await.unwrap();
        let (t1, t2) = (tickets::issue(&state, &auth).await.unwrap(), tickets::issue(&state, &auth).await.unwrap());

        // Tickets: issued at T0, valid until T0 + 15 s exclusive.
        clock.set(T0 + 15_000 - 1);
        assert_eq!(tickets::redeem(&state, &t1).await.unwrap(), auth);
        clock.set(T0 + 15_000);
        assert_eq!(refused(tickets::redeem(&state, &t2).await), Some(ErrorKind::AuthTokenInvalid));

        // Access token: `exp` is T0 + 60 s rounded up to the second.
        let exp_ms = 1_700_000_061_000;
        clock.set(exp_ms - 1);
        assert_eq!(authenticate(&state, &a.access_token).await.unwrap(), auth);
        clock.set(exp_ms);
        assert_eq!(refused(authenticate(&state, &a.access_token).await), Some(ErrorKind::AuthTokenInvalid));

        // Refresh: the session ends at T0 + 120 s to the millisecond, half a second before its
        // refresh token's `exp`; a rotation extends it from the time of rotation.
        clock.set(T0 + 120_000 - 1);
        let rotated = refresh(&state, &a.refresh_token).await.unwrap();
        clock.set(T0 + 120_000);
        assert_eq!(refused(refresh(&state, &b.refresh_token).await), Some(ErrorKind::AuthTokenInvalid));
        clock.set(T0 + 240_000 - 2);
        refresh(&state, &rotated.refresh_token).await.unwrap();

        state.pool.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
