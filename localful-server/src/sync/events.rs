//! Fan-out of server events to sockets, within one process or across processes through Postgres
//! `LISTEN/NOTIFY`.
//!
//! Every broadcast is a [`Broadcast`] message. With SQLite it is delivered to this process's
//! sockets directly; with Postgres it is sent with `pg_notify` on a channel named after the
//! current schema and every process (this one included) delivers it to its own sockets when the
//! notification arrives. Payloads over the 8000-byte NOTIFY limit travel as a reference to the
//! change-log entry, which receivers load from the database. A notification missed while a
//! listener reconnects is recovered by clients through `GET /v1/vaults/:id/changes`.

use localful_protocol::{
    Change, UserId, VaultId,
    socket::{NAMESPACE, ServerEvent},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use socketioxide::{SocketIo, operators::BroadcastOperators};
use sqlx::AnyPool;
use std::sync::{Arc, OnceLock};

/// Postgres' NOTIFY payload limit is 8000 bytes; stay under it.
const NOTIFY_LIMIT: usize = 7500;

/// The prefix of every vault room.
pub(crate) const VAULT_ROOM_PREFIX: &str = "vault:";

/// Room of a vault's subscribers.
pub(crate) fn vault_room(id: VaultId) -> String {
    format!("{VAULT_ROOM_PREFIX}{id}")
}
/// Room of every socket of a user.
pub(crate) fn user_room(id: UserId) -> String {
    format!("user:{id}")
}
/// Room of the (single) socket of a session.
pub(crate) fn session_room(id: &str) -> String {
    format!("session:{id}")
}

/// A message to the sockets of every process.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum Broadcast {
    /// Emit `event` with `data` (its payload, already serialised) to `rooms`, except the sockets
    /// in room `except`.
    Emit { rooms: Vec<String>, except: Option<String>, event: ServerEvent, data: Value },
    /// Emit a change-log entry (as the event of its kind) to its vault's room, except `except`.
    Change { except: Option<String>, change: Change },
    /// Like `Change`, for the entry `(vault, seq)` of the change log (too big to notify inline).
    ChangeRef { except: Option<String>, vault: VaultId, seq: u64 },
    /// Make every socket leave `room` (a deleted vault: its id may be reused by someone else).
    Leave { room: String },
    /// Disconnect the sockets in `room`; with `replaced_by`, only those that connected before
    /// that socket (`(connected_at_ms, socket id)` ordered), so a late message never drops a
    /// newer socket.
    Disconnect { room: String, replaced_by: Option<(i64, String)> },
}

impl Broadcast {
    /// Emit `event` with `data` to `rooms` except `except` (`None` if `data` cannot be
    /// serialised, which the protocol's types never fail; logged).
    pub(crate) fn emit(rooms: Vec<String>, except: Option<String>, event: ServerEvent, data: &impl Serialize) -> Option<Self> {
        match serde_json::to_value(data) {
            Ok(data) => Some(Self::Emit { rooms, except, event, data }),
            Err(e) => {
                tracing::error!(error = %e, %event, "could not serialise an event");
                None
            }
        }
    }
}

/// The fan-out handle.
#[derive(Clone)]
pub(crate) struct Events {
    inner: Arc<Inner>,
}

struct Inner {
    io: OnceLock<SocketIo>,
    pool: AnyPool,
    channel: Option<String>,
    listener: OnceLock<tokio::task::AbortHandle>,
}

impl Events {
    /// Delivery within this process only.
    pub(crate) fn local(pool: AnyPool) -> Self {
        Self { inner: Arc::new(Inner { io: OnceLock::new(), pool, channel: None, listener: OnceLock::new() }) }
    }

    /// Delivery through Postgres NOTIFY; starts the listener task.
    pub(crate) async fn postgres(pool: AnyPool, url: &str) -> Result<Self, sqlx::Error> {
        let schema = crate::db::current_schema(&pool).await?;
        let channel: String = format!("localful_{schema}")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .take(63)
            .collect();
        let mut listener = sqlx::postgres::PgListener::connect(url).await?;
        listener.listen(&channel).await?;
        let events =
            Self { inner: Arc::new(Inner { io: OnceLock::new(), pool, channel: Some(channel), listener: OnceLock::new() }) };
        let weak = Arc::downgrade(&events.inner);
        let task = tokio::spawn(async move {
            loop {
                let note = listener.recv().await;
                let Some(inner) = weak.upgrade() else { break };
                let events = Events { inner };
                match note {
                    Ok(n) => match serde_json::from_str::<Broadcast>(n.payload()) {
                        Ok(b) => events.deliver(b).await,
                        Err(e) => tracing::warn!(error = %e, "unreadable event notification"),
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "event listener failed; retrying");
                        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    }
                }
            }
        });
        let _ = events.inner.listener.set(task.abort_handle());
        Ok(events)
    }

    /// Attaches the socket.io server (done once by [`crate::app`]).
    pub(crate) fn attach(&self, io: SocketIo) {
        let _ = self.inner.io.set(io);
    }

    /// Stops listening for other processes' events (at shutdown).
    pub(crate) fn stop_listening(&self) {
        if let Some(task) = self.inner.listener.get() {
            task.abort();
        }
    }

    /// Disconnects every socket of this process (at shutdown: clients reconnect elsewhere).
    pub(crate) async fn close_sockets(&self) {
        if let Some(io) = self.inner.io.get() {
            io.close().await;
        }
    }

    /// Sends `b` to every process's sockets. Failures are logged: clients recover from the log.
    pub(crate) async fn publish(&self, b: Broadcast) {
        self.publish_all(vec![b]).await;
    }

    /// Sends `bs`, in order, to every process's sockets: on Postgres one notification each, all
    /// sent by one statement (a push's changes cost one round trip to the database, not one
    /// each). Failures are logged: clients recover from the log.
    pub(crate) async fn publish_all(&self, bs: Vec<Broadcast>) {
        let Some(channel) = &self.inner.channel else {
            for b in bs {
                self.deliver(b).await;
            }
            return;
        };
        let payloads: Vec<String> = bs.iter().map(notify_payload).collect();
        // One parameter per payload (beside the channel), under the protocol's 65 535.
        for part in payloads.chunks(1000) {
            // Volatile functions in the select list run after ORDER BY: the notifications go out
            // (and are delivered) in the order of `bs`. The row numbers are literals of ours.
            let rows = (0..part.len()).map(|i| format!("({i}, ${})", i + 2)).collect::<Vec<_>>().join(", ");
            let sql = format!("SELECT pg_notify($1, t.p) FROM (VALUES {rows}) AS t(n, p) ORDER BY t.n");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(channel);
            for payload in part {
                q = q.bind(payload);
            }
            if let Err(e) = q.execute(&self.inner.pool).await {
                tracing::warn!(error = %e, "could not publish an event");
            }
        }
    }

    /// Delivers `b` to this process's sockets.
    pub(crate) async fn deliver(&self, b: Broadcast) {
        let Some(ns) = self.inner.io.get().and_then(|io| io.of(NAMESPACE)) else { return };
        match b {
            Broadcast::Emit { rooms, except, event, data } => emit(ns, rooms, except, event, &data).await,
            Broadcast::Change { except, change } => emit_change(ns, except, &change).await,
            Broadcast::ChangeRef { except, vault, seq } => match crate::services::changes::load(&self.inner.pool, vault, seq).await {
                Ok(Some(change)) => emit_change(ns, except, &change).await,
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "could not load a change to deliver"),
            },
            Broadcast::Leave { room } => {
                if let Err(e) = ns.within(room.clone()).leave(room).await {
                    tracing::warn!(error = %e, "could not empty a room");
                }
            }
            Broadcast::Disconnect { room, replaced_by } => {
                for s in ns.within(room).sockets() {
                    let older = match (&replaced_by, super::handlers::connected_at(&s)) {
                        (None, _) => true,
                        (Some(newer), Some(at)) => (at, s.id.to_string()) < *newer,
                        (Some(_), None) => false,
                    };
                    if older {
                        let _ = s.disconnect();
                    }
                }
            }
        }
    }
}

/// The NOTIFY payload of `b`: a change too big for it travels as a reference to its log entry.
fn notify_payload(b: &Broadcast) -> String {
    let payload = serde_json::to_string(b).unwrap_or_default();
    match b {
        Broadcast::Change { except, change } if payload.len() > NOTIFY_LIMIT => {
            let r = Broadcast::ChangeRef { except: except.clone(), vault: change.vault_id, seq: change.seq };
            serde_json::to_string(&r).unwrap_or_default()
        }
        _ => payload,
    }
}

/// Emits `event` with `data` to the sockets of `rooms` but those in `except`.
async fn emit(ns: BroadcastOperators, rooms: Vec<String>, except: Option<String>, event: ServerEvent, data: &Value) {
    let op = ns.to(rooms);
    let op = match except {
        Some(room) => op.except(room),
        None => op,
    };
    if let Err(e) = op.emit(event.name(), data).await {
        tracing::warn!(error = %e, %event, "could not emit");
    }
}

/// Emits a change-log entry, as the event of its kind, to its vault's room but `except`. Sent as
/// a JSON value, like every other event: keys in the same order at every level, whichever
/// process delivers it.
async fn emit_change(ns: BroadcastOperators, except: Option<String>, change: &Change) {
    let event = ServerEvent::from(change.event);
    match serde_json::to_value(change) {
        Ok(data) => emit(ns, vec![vault_room(change.vault_id)], except, event, &data).await,
        Err(e) => tracing::error!(error = %e, %event, "could not serialise a change"),
    }
}
