//! `GET|PATCH|DELETE /v1/users/:id`: a user may read and change only itself.

use super::AuthCtx;
use crate::{
    auth::password,
    db,
    error::{AppError, AppResult, ErrorKind},
    requests,
    state::AppState,
    sync::events::{Broadcast, session_room, user_room},
};
use localful_protocol::{
    Timestamp, User, UserId,
    socket::{ServerEvent, UserDeleted, UserUpdated},
};

fn check_self(auth: &AuthCtx, id: UserId) -> AppResult<()> {
    if auth.user_id == id {
        Ok(())
    } else {
        Err(AppError::new(ErrorKind::AccessForbidden, "You may only access your own user"))
    }
}

/// Reads the caller's own user.
pub(crate) async fn get(state: &AppState, auth: &AuthCtx, id: UserId) -> AppResult<User> {
    check_self(auth, id)?;
    db::users::by_id(&mut *state.pool.acquire().await?, id)
        .await?
        .map(|row| row.user)
        .ok_or_else(|| AppError::new(ErrorKind::ResourceNotFound, "User not found"))
}

/// Changes email, display name or password.
pub(crate) async fn update(state: &AppState, auth: &AuthCtx, id: UserId, patch: requests::UserPatch) -> AppResult<User> {
    check_self(auth, id)?;
    let hash = match patch.password {
        Some(p) => {
            let cfg = &state.config;
            Some(password::hash(&state.hashing, p.into_string(), cfg.argon2_memory_kib, cfg.argon2_iterations).await?)
        }
        None => None,
    };
    let mut tx = state.pool.begin().await?;
    let mut row = db::users::by_id(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorKind::ResourceNotFound, "User not found"))?;
    let user = &mut row.user;
    if let Some(email) = patch.email {
        if db::users::email_taken(&mut tx, email.as_str(), user.id).await? {
            return Err(AppError::new(ErrorKind::UserEmailExists, "A user with this email exists"));
        }
        user.email = email.as_str().into();
    }
    if let Some(name) = patch.display_name {
        user.display_name = name.into_string();
    }
    // A new password ends every other session (a stolen token stops working).
    let mut revoked = Vec::new();
    if let Some(hash) = hash {
        revoked = db::sessions::revoke_others(&mut tx, user.id, &auth.session_id, Timestamp::now()).await?;
        row.password_hash = hash;
    }
    row.user.updated_at = Timestamp::now();
    db::users::update(&mut tx, &row).await.map_err(super::unique_to(ErrorKind::UserEmailExists, "A user with this email exists"))?;
    tx.commit().await?;
    let user = row.user;
    let updated = UserUpdated { user };
    let except = Some(session_room(&auth.session_id));
    if let Some(b) = Broadcast::emit(vec![user_room(updated.user.id)], except, ServerEvent::UserUpdate, &updated) {
        state.events.publish(b).await;
    }
    for sid in revoked {
        state.events.publish(Broadcast::Disconnect { room: session_room(&sid), replaced_by: None }).await;
    }
    Ok(updated.user)
}

/// Deletes the caller's user with all its sessions and vaults, then disconnects its sockets.
pub(crate) async fn delete(state: &AppState, auth: &AuthCtx, id: UserId) -> AppResult<()> {
    check_self(auth, id)?;
    let mut tx = state.pool.begin().await?;
    db::users::delete(&mut tx, id).await?;
    tx.commit().await?;
    let room = user_room(id);
    let except = Some(session_room(&auth.session_id));
    if let Some(b) = Broadcast::emit(vec![room.clone()], except, ServerEvent::UserDelete, &UserDeleted { id }) {
        state.events.publish(b).await;
    }
    state.events.publish(Broadcast::Disconnect { room, replaced_by: None }).await;
    Ok(())
}
