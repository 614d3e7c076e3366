//! The background task: owns the [`Session`], the WebSocket and the timers, and carries out the
//! session's outputs. The only place where protocol meets IO.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use futures::channel::mpsc;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt, future, pin_mut, select_biased};
use serde_json::Value;

use super::auth::AuthProvider;
use super::command::{AckSlot, Command};
use super::event::{AckResponder, IncomingEvent};
use super::shared::Shared;
use crate::engineio::Frame;
use crate::bounds::BoxFuture;
use crate::session::{AckError, Clock, Output, Session, SessionConfig, SharedClock};
use crate::transport::Transport;

enum Wake {
    Frame(Option<Result<Frame, String>>),
    Dialed(Result<Box<Transport>, String>),
    Command(Option<Command>),
    Ack(Option<Command>),
    Auth(String, Result<Value, String>),
    Timer,
}

pub(crate) struct Driver {
    url: String,
    auth: Option<AuthProvider>,
    session: Session,
    clock: SharedClock,
    commands: mpsc::UnboundedReceiver<Command>,
    acks_tx: mpsc::UnboundedSender<Command>,
    acks_rx: mpsc::UnboundedReceiver<Command>,
    shared: Arc<Shared>,
    ws: Option<Transport>,
    dialing: Option<BoxFuture<Result<Transport, String>>>,
    auths: FuturesUnordered<BoxFuture<(String, Result<Value, String>)>>,
    pending: HashMap<(String, u64), AckSlot>,
    shutdown: bool,
}

impl Driver {
    pub(crate) fn new(
        url: String,
        auth: Option<AuthProvider>,
        config: SessionConfig,
        clock: SharedClock,
        seed: u64,
        commands: mpsc::UnboundedReceiver<Command>,
        shared: Arc<Shared>,
    ) -> Self {
        let (acks_tx, acks_rx) = mpsc::unbounded();
        Self {
            url,
            auth,
            session: Session::new(config, seed),
            clock,
            commands,
            acks_tx,
            acks_rx,
            shared,
            ws: None,
            dialing: None,
            auths: FuturesUnordered::new(),
            pending: HashMap::new(),
            shutdown: false,
        }
    }

    pub(crate) async fn run(mut self) {
        loop {
            self.carry_out().await;
            if self.shutdown && self.ws.is_none() && self.dialing.is_none() {
                // Fail whatever still waits.
                for (_, tx) in self.pending.drain() {
                    let _ = tx.send(Err(AckError::Disconnected));
                }
                return;
            }
            let wake = self.wait().await;
            let now = self.clock.now();
            match wake {
                Wake::Frame(Some(Ok(frame))) => self.session.frame(frame, now),
                Wake::Frame(Some(Err(error))) => {
                    self.ws = None;
                    self.session.transport_failed(error, now);
                }
                Wake::Frame(None) => {
                    self.ws = None;
                    self.session.transport_closed(now);
                }
                Wake::Dialed(Ok(ws)) => {
                    self.dialing = None;
                    self.ws = Some(*ws);
                    self.session.transport_opened(now);
                }
                Wake::Dialed(Err(error)) => {
                    self.dialing = None;
                    self.session.transport_failed(error, now);
                }
                Wake::Command(Some(command)) | Wake::Ack(Some(command)) => self.command(command),
                Wake::Command(None) => {
                    self.shutdown = true;
                    self.session.close(now);
                }
                Wake::Ack(None) | Wake::Timer => {}
                Wake::Auth(nsp, Ok(auth)) => self.session.auth_ready(&nsp, auth, now),
                Wake::Auth(nsp, Err(error)) => self.session.auth_failed(&nsp, error, now),
            }
            self.session.handle_timeout(self.clock.now());
        }
    }

    /// Waits for the next thing that happens.
    async fn wait(&mut self) -> Wake {
        let timer = self.session.next_deadline().map(|deadline| self.clock.sleep_until(deadline));
        let Self { ws, dialing, commands, acks_rx, auths, shutdown, .. } = self;
        let frame = async {
            match ws {
                Some(ws) => ws.next().await,
                None => future::pending().await,
            }
        }
        .fuse();
        let dialed = async {
            match dialing {
                Some(dial) => dial.await,
                None => future::pending().await,
            }
        }
        .fuse();
        let command = async {
            if *shutdown { future::pending().await } else { commands.next().await }
        }
        .fuse();
        let auth = async {
            if auths.is_empty() {
                future::pending().await
            } else {
                auths.next().await.unwrap_or_else(|| (String::new(), Err(String::new())))
            }
        }
        .fuse();
        let ack = acks_rx.next().fuse();
        let timer = async {
            match timer {
                Some(sleep) => sleep.await,
                None => future::pending().await,
            }
        }
        .fuse();
        pin_mut!(frame, dialed, command, auth, ack, timer);
        select_biased! {
            f = frame => Wake::Frame(f),
            d = dialed => Wake::Dialed(d.map(Box::new)),
            (nsp, result) = auth => Wake::Auth(nsp, result),
            c = ack => Wake::Ack(c),
            c = command => Wake::Command(c),
            () = timer => Wake::Timer,
        }
    }

    fn command(&mut self, command: Command) {
        let now = self.clock.now();
        match command {
            Command::Open(nsp) => self.session.open_namespace(&nsp, now),
            Command::Close(nsp) => self.session.close_namespace(&nsp, now),
            Command::RetryNow => self.session.retry_now(now),
            Command::Shutdown => {
                self.shutdown = true;
                self.session.close(now);
            }
            Command::Ack { nsp, id, payload } => {
                let _ = self.session.ack(&nsp, id, payload);
            }
            Command::Emit { nsp, name, payload, ack: Some((timeout, tx)), .. } => {
                match self.session.emit_with_ack(&nsp, &name, payload, timeout, now) {
                    Ok(id) => {
                        self.pending.insert((nsp, id), tx);
                    }
                    Err(error) => {
                        let _ = tx.send(Err(AckError::Emit(error)));
                    }
                }
            }
            Command::Emit { nsp, name, payload, ack: None, done } => {
                let result = self.session.emit(&nsp, &name, payload, now);
                if let Some(done) = done {
                    let _ = done.send(result);
                }
            }
        }
    }

    /// Carries out everything the session asked for.
    async fn carry_out(&mut self) {
        while let Some(output) = self.session.poll_output() {
            match output {
                Output::Connect => {
                    if let Some(ws) = self.ws.take() {
                        ws.close().await;
                    }
                    self.auths = FuturesUnordered::new();
                    self.dialing = Some(Box::pin(Transport::connect(self.url.clone())));
                }
                Output::CloseTransport => {
                    self.dialing = None;
                    self.auths = FuturesUnordered::new();
                    if let Some(ws) = self.ws.take() {
                        ws.close().await;
                    }
                }
                Output::Send(frame) => {
                    if let Some(ws) = &mut self.ws
                        && let Err(error) = ws.send(frame).await
                    {
                        self.ws = None;
                        self.session.transport_failed(error, self.clock.now());
                    }
                }
                Output::NeedAuth { nsp } => {
                    let future: BoxFuture<(String, Result<Value, String>)> = match &self.auth {
                        Some(provider) => {
                            let auth = provider(&nsp);
                            Box::pin(async move { (nsp, auth.await) })
                        }
                        None => Box::pin(async move { (nsp, Ok(Value::Null)) }),
                    };
                    self.auths.push(future);
                }
                Output::Event { nsp, name, payload, ack } => {
                    let ack = ack.map(|id| AckResponder {
                        commands: self.acks_tx.clone(),
                        nsp: nsp.clone(),
                        id,
                        sent: Arc::new(AtomicBool::new(false)),
                    });
                    self.shared.deliver(&nsp, IncomingEvent { name, payload, ack });
                }
                Output::Ack { nsp, id, result } => {
                    if let Some(tx) = self.pending.remove(&(nsp, id)) {
                        let _ = tx.send(result);
                    }
                }
                Output::SocketState { nsp, state } => self.shared.set_state(&nsp, state),
                Output::ConnectionState(state) => {
                    self.shared.connection.send_replace(state);
                }
            }
        }
    }
}
