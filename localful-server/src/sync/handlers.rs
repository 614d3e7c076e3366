//! Connect, `subscribe`, `ticket` and the `refresh-ticket` loop.

use super::events::{Broadcast, VAULT_ROOM_PREFIX, session_room, user_room, vault_room};
use crate::{
    db,
    error::{AppError, ErrorKind},
    extract::parse_value,
    services::{self, AuthCtx},
    state::AppState,
};
use localful_protocol::{
    Timestamp,
    socket::{ClientEvent, FailedAck, RefreshTicket, RejectedVault, ServerEvent, Subscribe, SubscribeAck, Ticket, TicketAck},
};
use serde_json::Value;
use std::collections::BTreeMap;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};
use std::sync::Arc;
use tokio::sync::watch;

/// What a connected socket knows about its caller (a socket extension).
#[derive(Clone)]
pub(super) struct SocketSession {
    pub(super) auth: AuthCtx,
    /// Wall-clock connect time, ordering sockets of one session across processes.
    connected_at_ms: i64,
    /// When (state clock) the first `refresh-ticket` is due: taken before CONNECT is answered, so
    /// a test that advances its clock once connected finds the schedule already set.
    first_refresh_at_ms: i64,
    /// The state-clock time of the last valid answer to `refresh-ticket`.
    ticket_answered: Arc<watch::Sender<i64>>,
}

/// Why a CONNECT was refused; its `Display` is the SPEC identifier, which socket.io clients see as
/// `err.message` of `connect_error`.
#[derive(Debug)]
pub(super) struct ConnectRefused(ErrorKind);

impl std::fmt::Display for ConnectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.identifier())
    }
}

/// CONNECT middleware: allowed Origin, then a valid ticket.
pub(super) async fn authorize(
    s: SocketRef,
    State(state): State<AppState>,
    TryData(auth): TryData<Value>,
) -> Result<(), ConnectRefused> {
    let origin = s.req_parts().headers.get(axum::http::header::ORIGIN).and_then(|o| o.to_str().ok());
    let origin_ok = match origin {
        Some(o) => state.config.origin_allowed(o),
        None => state.config.allowed_origins.iter().any(|o| o == "*"),
    };
    if !origin_ok {
        tracing::info!(origin = ?origin, "sync connect refused: origin");
        return Err(ConnectRefused(ErrorKind::AccessForbidden));
    }
    let creds = auth.ok().and_then(|v| serde_json::from_value::<Ticket>(v).ok());
    let Some(creds) = creds else { return Err(ConnectRefused(ErrorKind::AccessUnauthorized)) };
    match services::tickets::redeem(&state, &creds.ticket).await {
        Ok(auth) => {
            // Handlers and rooms are set here, synchronously, before CONNECT is answered: the
            // connect handler runs in a spawned task, and a client may emit right away.
            s.join([session_room(&auth.session_id), user_room(auth.user_id)]);
            s.on(ClientEvent::Subscribe.name(), subscribe);
            s.on(ClientEvent::Ticket.name(), ticket);
            s.on(ClientEvent::Push.name(), super::push::push);
            let now = state.clock.now_millis();
            s.extensions.insert(SocketSession {
                auth,
                connected_at_ms: Timestamp::now().unix_millis(),
                first_refresh_at_ms: now.saturating_add(refresh_interval_millis(&state)),
                ticket_answered: Arc::new(watch::Sender::new(now)),
            });
            Ok(())
        }
        Err(e) => Err(ConnectRefused(e.kind)),
    }
}

/// After CONNECT: replace the session's previous socket and start the `refresh-ticket` loop.
pub(super) async fn on_connect(s: SocketRef, State(state): State<AppState>) {
    let Some(session) = s.extensions.get::<SocketSession>() else {
        let _ = s.disconnect();
        return;
    };
    let room = session_room(&session.auth.session_id);
    let me = (session.connected_at_ms, s.id.to_string());
    state.events.publish(Broadcast::Disconnect { room, replaced_by: Some(me) }).await;
    tracing::info!(socket = %s.id, user = %session.auth.user_id, "sync socket connected");
    tokio::spawn(refresh_loop(s.clone(), state, session.first_refresh_at_ms, session.ticket_answered.subscribe()));
}

/// `ticket_refresh_interval` in milliseconds (at least a second).
fn refresh_interval_millis(state: &AppState) -> i64 {
    i64::try_from(state.config.ticket_refresh_interval_secs.clamp(1, 365 * 86_400) * 1000).unwrap_or(i64::MAX)
}

/// `ticket_refresh_interval` after connecting, then that long after each answer, asks for a
/// fresh ticket; no valid answer within the ticket lifetime (15 s by default) disconnects the
/// socket. Times are on the state's clock.
async fn refresh_loop(s: SocketRef, state: AppState, first_at: i64, mut answers: watch::Receiver<i64>) {
    let interval = refresh_interval_millis(&state);
    let window_secs = state.config.ticket_ttl_secs.clamp(1, 86_400);
    let mut due = first_at;
    loop {
        state.clock.sleep_until(due).await;
        if !s.connected() {
            return;
        }
        // Only an answer to this request counts.
        answers.mark_unchanged();
        let deadline = state.clock.now_millis().saturating_add(i64::try_from(window_secs * 1000).unwrap_or(i64::MAX));
        if s.emit(ServerEvent::RefreshTicket.name(), &RefreshTicket { deadline_seconds: window_secs }).is_err() {
            return;
        }
        tokio::select! {
            // An answer that came in before the deadline counts even if the clock has since
            // passed it (a test may advance its clock by more than the window at once).
            biased;
            answered = answers.changed() => match answered {
                Ok(()) => due = answers.borrow_and_update().saturating_add(interval),
                Err(_) => return,
            },
            () = state.clock.sleep_until(deadline) => {
                tracing::info!(socket = %s.id, "no ticket answered in time; disconnecting");
                let _ = s.disconnect();
                return;
            }
        }
    }
}

/// When `s` connected (`None` for a socket still in its CONNECT middleware).
pub(super) fn connected_at(s: &SocketRef) -> Option<i64> {
    s.extensions.get::<SocketSession>().map(|x| x.connected_at_ms)
}

/// The session of a socket, if it is still live (a revoked session's socket is disconnected).
pub(super) async fn live_session(s: &SocketRef, state: &AppState) -> Option<SocketSession> {
    let session = s.extensions.get::<SocketSession>()?;
    let mut conn = state.pool.acquire().await.ok()?;
    match db::sessions::get(&mut conn, &session.auth.session_id).await {
        Ok(Some(row)) if !row.revoked => Some(session),
        _ => {
            drop(conn);
            let _ = s.clone().disconnect();
            None
        }
    }
}

/// `{error, ok: false}` for an ack.
pub(super) fn ack_error(e: &AppError) -> FailedAck {
    FailedAck::new(e.body())
}

/// `subscribe {vaults}`: replaces the subscribed set with the listed vaults the user owns.
/// Ack: `{ok, vaults: [id], latestSeq: {id: seq}, rejected: [{id, error}]}`.
async fn subscribe(s: SocketRef, State(state): State<AppState>, TryData(data): TryData<Value>, ack: AckSender) {
    let Some(session) = live_session(&s, &state).await else { return };
    let parsed = parse_value::<Subscribe>(data.unwrap_or(Value::Null)).and_then(|sub| {
        if sub.vaults.len() > 1000 { Err(AppError::invalid("At most 1000 vaults per subscribe")) } else { Ok(sub) }
    });
    let sub = match parsed {
        Ok(sub) => sub,
        Err(e) => {
            let _ = ack.send(&ack_error(&e));
            return;
        }
    };
    let mut accepted = Vec::new();
    let mut latest = BTreeMap::new();
    let mut rejected = Vec::new();
    for id in sub.vaults {
        let result = async {
            let mut c = state.pool.acquire().await?;
            services::owned_vault(&mut c, session.auth.user_id, id).await?;
            Ok::<_, AppError>(db::vaults::last_seq(&mut c, id).await?)
        }
        .await;
        match result {
            Ok(seq) => {
                latest.insert(id, seq);
                accepted.push(id);
            }
            Err(e) => rejected.push(RejectedVault { error: e.body(), id }),
        }
    }
    let old: Vec<String> = s.rooms().into_iter().map(|r| r.to_string()).filter(|r| r.starts_with(VAULT_ROOM_PREFIX)).collect();
    s.leave(old);
    s.join(accepted.iter().map(|&id| vault_room(id)).collect::<Vec<_>>());
    let _ = ack.send(&SubscribeAck { latest_seq: latest, ok: true, rejected, vaults: accepted });
}

/// `ticket {ticket}`: the answer to `refresh-ticket`; the ticket must belong to this session.
async fn ticket(s: SocketRef, State(state): State<AppState>, TryData(data): TryData<Value>, ack: AckSender) {
    let Some(session) = live_session(&s, &state).await else { return };
    let result = async {
        let t = parse_value::<Ticket>(data.unwrap_or(Value::Null))?;
        let auth = services::tickets::redeem(&state, &t.ticket).await?;
        if auth != session.auth {
            return Err(AppError::new(ErrorKind::AuthTokenInvalid, "The ticket belongs to another session"));
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            session.ticket_answered.send_replace(state.clock.now_millis());
            let _ = ack.send(&TicketAck { ok: true });
        }
        Err(e) => {
            let _ = ack.send(&ack_error(&e));
        }
    }
}
