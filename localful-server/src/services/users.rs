//! `GET|PATCH|DELETE /v1/users/:id`: a user may read and change only itself.

use super::AuthCtx;
use crate::{
    auth::password,
    db,
    error::{AppError, AppResult, ErrorKind},
    fields::{Id, Time},
    model::User,
    requests,
    state::AppState,
    sync::events::{Broadcast, session_room, user_room},
};
use serde_json::json;

fn check_self(auth: &AuthCtx, id: &Id) -> AppResult<()> {
    if auth.user_id == id.as_str() {
        Ok(())
    } else {
        Err(AppError::new(ErrorKind::AccessForbidden, "You may only access your own user"))
    }
}

/// Reads the caller's own user.
pub(crate) async fn get(state: &AppState, auth: &AuthCtx, id: &Id) -> AppResult<User> {
    check_self(auth, id)?;
    db::users::by_id(&mut *state.pool.acquire().await?, id.as_str())
        .await?
        .ok_or_else(|| AppError::new(ErrorKind::ResourceNotFound, "User not found"))
}

/// Changes email, display name or password.
pub(crate) async fn update(state: &AppState, auth: &AuthCtx, id: &Id, patch: requests::UserPatch) -> AppResult<User> {
    check_self(auth, id)?;
    let hash = match patch.password {
        Some(p) => {
            let cfg = &state.config;
            Some(password::hash(&state.hashing, p.into_string(), cfg.argon2_memory_kib, cfg.argon2_iterations).await?)
        }
        None => None,
    };
    let mut tx = state.pool.begin().await?;
    let mut user = db::users::by_id(&mut tx, id.as_str())
        .await?
        .ok_or_else(|| AppError::new(ErrorKind::ResourceNotFound, "User not found"))?;
    if let Some(email) = patch.email {
        if db::users::email_taken(&mut tx, email.as_str(), &user.id).await? {
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
        user.password_hash = hash;
        revoked = db::sessions::revoke_others(&mut tx, &user.id, &auth.session_id, Time::now().as_str()).await?;
    }
    user.updated_at = Time::now().into_string();
    db::users::update(&mut tx, &user).await.map_err(super::unique_to(ErrorKind::UserEmailExists, "A user with this email exists"))?;
    tx.commit().await?;
    let data = json!({ "user": &user });
    state
        .events
        .publish(Broadcast::Emit { rooms: vec![user_room(&user.id)], except: Some(session_room(&auth.session_id)), event: "user-update".into(), data })
        .await;
    for sid in revoked {
        state.events.publish(Broadcast::Disconnect { room: session_room(&sid), replaced_by: None }).await;
    }
    Ok(user)
}

/// Deletes the caller's user with all its sessions and vaults, then disconnects its sockets.
pub(crate) async fn delete(state: &AppState, auth: &AuthCtx, id: &Id) -> AppResult<()> {
    check_self(auth, id)?;
    let mut tx = state.pool.begin().await?;
    db::users::delete(&mut tx, id.as_str()).await?;
    tx.commit().await?;
    let room = user_room(id.as_str());
    state
        .events
        .publish(Broadcast::Emit {
            rooms: vec![room.clone()],
            except: Some(session_room(&auth.session_id)),
            event: "user-delete".into(),
            data: json!({ "id": id }),
        })
        .await;
    state.events.publish(Broadcast::Disconnect { room, replaced_by: None }).await;
    Ok(())
}
