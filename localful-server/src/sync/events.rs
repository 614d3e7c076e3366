//! Fan-out of server events to sockets, within one process or across processes through Postgres
//! `LISTEN/NOTIFY`.
//!
//! Every broadcast is a [`Broadcast`] message. With SQLite it is delivered to this process's
//! sockets directly; with Postgres it is sent with `pg_notify` on a channel named after the
//! current schema and every process (this one included) delivers it to its own sockets when the
//! notification arrives. Payloads over the 8000-byte NOTIFY limit travel as a reference to the
//! change-log entry, which receivers load from the database. A notification missed while a
//! listener reconnects is recovered by clients through `GET /v1/vaults/:id/changes`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use socketioxide::SocketIo;
use sqlx::AnyPool;
use std::sync::{Arc, OnceLock};

/// The namespace of the sync socket.
pub(crate) const NAMESPACE: &str = "/sync";
/// Postgres' NOTIFY payload limit is 8000 bytes; stay under it.
const NOTIFY_LIMIT: usize = 7500;

/// Room of a vault's subscribers.
pub(crate) fn vault_room(id: &str) -> String {
    format!("vault:{id}")
}
/// Room of every socket of a user.
pub(crate) fn user_room(id: &str) -> String {
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
    /// Emit `event` with `data` to `rooms`, except the sockets in room `except`.
    Emit { rooms: Vec<String>, except: Option<String>, event: String, data: Value },
    /// Like `Emit`, with the data being the change-log entry `(vault, seq)` (too big to inline).
    EmitChange { rooms: Vec<String>, except: Option<String>, event: String, vault: String, seq: i64 },
    /// Make every socket leave `room` (a deleted vault: its id may be reused by someone else).
    Leave { room: String },
    /// Disconnect the sockets in `room`; with `replaced_by`, only those that connected before
    /// that socket (`(connected_at_ms, socket id)` ordered), so a late message never drops a
    /// newer socket.
    Disconnect { room: String, replaced_by: Option<(i64, String)> },
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
        let Some(channel) = &self.inner.channel else {
            self.deliver(b).await;
            return;
        };
        let mut payload = serde_json::to_string(&b).unwrap_or_default();
        if payload.len() > NOTIFY_LIMIT
            && let Broadcast::Emit { rooms, except, event, data } = &b
            && let (Some(vault), Some(seq)) = (data.get("vaultId").and_then(Value::as_str), data.get("seq").and_then(Value::as_i64))
        {
            let r = Broadcast::EmitChange { rooms: rooms.clone(), except: except.clone(), event: event.clone(), vault: vault.into(), seq };
            payload = serde_json::to_string(&r).unwrap_or_default();
        }
        if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(&payload).execute(&self.inner.pool).await {
            tracing::warn!(error = %e, "could not publish an event");
        }
    }

    /// Delivers `b` to this process's sockets.
    pub(crate) async fn deliver(&self, b: Broadcast) {
        let Some(ns) = self.inner.io.get().and_then(|io| io.of(NAMESPACE)) else { return };
        let (rooms, except, event, data) = match b {
            Broadcast::Emit { rooms, except, event, data } => (rooms, except, event, data),
            Broadcast::EmitChange { rooms, except, event, vault, seq } => {
                match crate::services::changes::load(&self.inner.pool, &vault, seq).await {
                    Ok(Some(data)) => (rooms, except, event, data),
                    Ok(None) => return,
                    Err(e) => {
                        tracing::warn!(error = %e, "could not load a change to deliver");
                        return;
                    }
                }
            }
            Broadcast::Leave { room } => {
                if let Err(e) = ns.within(room.clone()).leave(room).await {
                    tracing::warn!(error = %e, "could not empty a room");
                }
                return;
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
                return;
            }
        };
        let op = ns.to(rooms);
        let op = match except {
            Some(room) => op.except(room),
            None => op,
        };
        if let Err(e) = op.emit(&event, &data).await {
            tracing::warn!(error = %e, event, "could not emit");
        }
    }
}
