//! The typed async client: a [`Client`] owns one connection; a [`Socket`] is one namespace on it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use localful_worker::{Client, ClientEvent};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize)]
//! struct Subscribe { vaults: Vec<String> }
//! #[derive(Deserialize)]
//! struct Subscribed { ok: bool }
//!
//! /// `subscribe {vaults}`, acked with `{ok}`.
//! struct SubscribeEvent;
//! impl ClientEvent for SubscribeEvent {
//!     const NAME: &'static str = "subscribe";
//!     type Args = Subscribe;
//!     type Ack = Subscribed;
//! }
//!
//! let client = Client::builder("http://127.0.0.1:3000")
//!     .auth(|_nsp| async { Ok(serde_json::json!({"ticket": "t"})) })
//!     .build();
//! let sync = client.socket("/sync");
//! sync.wait_connected().await.map_err(|state| format!("not connected: {state:?}"))?;
//! let ack = sync
//!     .emit_with_ack::<SubscribeEvent>(&Subscribe { vaults: vec![] }, std::time::Duration::from_secs(5))
//!     .await?;
//! assert!(ack.ok);
//! # Ok(()) }
//! ```

mod auth;
mod builder;
mod command;
mod driver;
mod event;
mod shared;
mod socket;

pub use auth::AuthProvider;
pub use builder::ClientBuilder;
pub use event::{AckResponder, ClientEvent, EventStream, IncomingEvent, ServerEvent};
pub use socket::Socket;
pub use tokio::sync::watch;

use std::sync::Arc;

use futures::channel::mpsc;

use crate::session::ConnectionState;
use command::Command;
use shared::Shared;

/// A socket.io client: one Engine.IO connection shared by its namespace [`Socket`]s.
///
/// The connection runs in a background task (tokio natively — build the client inside a runtime —
/// or the browser's event loop). It stops when the client and all its sockets are dropped, or on
/// [`close`](Self::close).
#[derive(Clone)]
pub struct Client {
    commands: mpsc::UnboundedSender<Command>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("state", &self.state()).finish()
    }
}

impl Client {
    /// A builder for a client of the server at `url` (`http://host:port`, `https://…`, `ws://…`).
    pub fn builder(url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(url)
    }

    /// The socket for namespace `nsp` (`/` or `/name`); connects it if it is not connected.
    pub fn socket(&self, nsp: &str) -> Socket {
        let nsp = if nsp.starts_with('/') { nsp.to_owned() } else { format!("/{nsp}") };
        let state = self.shared.namespace_state(&nsp);
        self.shared.reopening(&nsp);
        let _ = self.commands.unbounded_send(Command::Open(nsp.clone()));
        Socket::new(nsp, self.commands.clone(), Arc::clone(&self.shared), state)
    }

    /// The current connection state.
    pub fn state(&self) -> ConnectionState {
        self.shared.connection.borrow().clone()
    }

    /// A receiver that sees every change of the connection state.
    pub fn watch_state(&self) -> watch::Receiver<ConnectionState> {
        self.shared.connection.subscribe()
    }

    /// While waiting to reconnect, reconnects now instead of when the backoff ends.
    pub fn retry_now(&self) {
        let _ = self.commands.unbounded_send(Command::RetryNow);
    }

    /// Disconnects every namespace and closes the connection; no reconnection follows.
    pub fn close(&self) {
        let _ = self.commands.unbounded_send(Command::Shutdown);
    }
}
