//! Binding, serving and graceful shutdown.

use crate::{clock::Clock, config::Config, routes::app, state::AppState};
use axum::serve::ListenerExt;
use std::{future::Future, net::SocketAddr, sync::Arc};

/// A server bound to its address, not yet serving.
pub struct Server {
    listener: tokio::net::TcpListener,
    state: AppState,
}

impl Server {
    /// Connects to the database, applies migrations and binds the listener.
    pub async fn bind(config: Config) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Self::bind_with_clock(config, Arc::new(crate::clock::SystemClock)).await
    }

    /// [`bind`](Self::bind), with `clock` deciding expiry and rate-limit windows: tests pass a
    /// [`ManualClock`](crate::ManualClock) and advance it instead of waiting out a lifetime.
    pub async fn bind_with_clock(
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let listener = tokio::net::TcpListener::bind(config.bind).await?;
        let state = AppState::connect_with_clock(config, clock).await?;
        tracing::info!(dialect = ?state.dialect, "database ready");
        Ok(Self { listener, state })
    }

    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` resolves; then stops accepting, closes the sync sockets and
    /// finishes the in-flight HTTP requests before returning.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let closing = self.state.events.clone();
        let shutdown = async move {
            shutdown.await;
            tracing::info!("shutting down: closing sync sockets, finishing in-flight requests");
            closing.close_sockets().await;
        };
        let (events, pool) = (self.state.events.clone(), self.state.pool.clone());
        let svc = app(self.state).into_make_service_with_connect_info::<SocketAddr>();
        // TCP_NODELAY on every connection: socket.io frames are small and each should leave at
        // once (Nagle's algorithm may hold one back until the peer acknowledges the last).
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
        });
        let served = axum::serve(listener, svc).with_graceful_shutdown(shutdown).await;
        events.stop_listening();
        pool.close().await;
        served
    }
}

/// Binds and serves `config` until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let server = Server::bind(config).await?;
    tracing::info!(addr = %server.local_addr()?, "localful-server listening");
    server.run(shutdown_signal()).await?;
    tracing::info!("localful-server stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
