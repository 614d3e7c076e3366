//! The engine loop.

use super::events::{Subscribe, Ticket};
use super::outbox::merged;
use super::{Control, EngineConfig, EngineHandle, EngineState, PushEvent, SEQ_META_KEY, SubscribeEvent, TicketEvent};
use crate::http::Api;
use crate::session::{Clock, ConnectionState, Instant, SharedClock, SocketState};
use crate::sync_state::Link;
use crate::{Client, IncomingEvent, Socket};
use futures::channel::mpsc;
use futures::future::LocalBoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use futures::{FutureExt, select_biased};
use localful_core::sync::{Command, Input, Pending, SyncStatus, VaultSync};
use localful_core::wire::{Change, SubscribeAck, VaultCreateRequest, WireVault};
use localful_core::{Database, ChangeEvent, ItemsChanged, Origin, Replica, VaultId};
use localful_protocol::socket::{self, ServerEvent, VaultDeleted};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::watch;

/// What a finished request tells the loop.
enum Done {
    Input(VaultId, Input),
    /// A vault's saved `seq` and outbox are read: it joins (if join `generation` is still current).
    Ready { handle: Replica, seq: u64, outbox: Vec<Pending>, generation: u64 },
    Subscribed(Result<SubscribeAck, String>),
    /// Entries still pending after an ack, to merge into the vault's outbox.
    Pending(VaultId, Vec<Pending>),
    Nothing,
}

type Flight = LocalBoxFuture<'static, Done>;

struct Slot {
    handle: Replica,
    sync: VaultSync,
}

/// A vault whose saved `seq` and outbox are being read before it joins.
struct Joining {
    /// Which [`Control::AddVault`] the read answers (a later one for the same vault supersedes it).
    generation: u64,
    /// The entries of local writes whose events came while the outbox was read: the read may or may
    /// not have seen them.
    pending: Vec<Pending>,
}

/// The sync engine. Build it with [`Engine::new`], run [`Engine::run`] on the local executor.
pub struct Engine {
    api: Api,
    db: Database,
    config: EngineConfig,
    control: mpsc::UnboundedReceiver<Control>,
    status: watch::Sender<EngineState>,
    vaults: BTreeMap<VaultId, Slot>,
    socket_state: SocketState,
    connection_state: ConnectionState,
    /// The socket as reported, updated when the socket or the connection changes (a backoff
    /// becomes the instant it ends when it is heard of).
    link: Link,
    clock: SharedClock,
    /// Bumped per subscribe, so an old subscribe ack is ignored.
    subscription: u64,
    /// Vaults about to join, and the count of joins so far (their generations).
    joining: BTreeMap<VaultId, Joining>,
    joins: u64,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("api", &self.api)
            .field("vaults", &self.vaults.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn change_of(event: &IncomingEvent) -> Option<Change> {
    ServerEvent::from_name(&event.name)?.change_kind()?;
    match event.payload.arg::<Change>(0) {
        Ok(change) => Some(change),
        Err(error) => {
            // The gap this leaves in the change log is found by the next event or pull, and pulled.
            tracing::warn!(%error, event = %event.name, "a change event from the server could not be read; it is pulled again");
            None
        }
    }
}

impl Engine {
    /// An engine syncing `db`'s vaults through the server `api` talks to (which must be logged
    /// in, or become so: the socket retries until a ticket can be had).
    pub fn new(api: Api, db: Database, config: EngineConfig) -> (Engine, EngineHandle) {
        let (control_tx, control) = mpsc::unbounded();
        let (status, status_rx) = watch::channel(EngineState::default());
        let engine = Engine {
            clock: std::sync::Arc::clone(&config.clock),
            api,
            db,
            config,
            control,
            status,
            vaults: BTreeMap::new(),
            socket_state: SocketState::Connecting,
            connection_state: ConnectionState::Idle,
            link: Link::Connecting { attempt: 0 },
            subscription: 0,
            joining: BTreeMap::new(),
            joins: 0,
        };
        (engine, EngineHandle { control: control_tx, status: status_rx })
    }

    fn now(&self) -> u64 {
        self.clock.now().as_millis()
    }

    fn online(&self) -> bool {
        matches!(self.socket_state, SocketState::Connected { .. })
    }

    /// Runs until [`EngineHandle::stop`] (or every handle is dropped).
    pub async fn run(mut self) {
        let api = self.api.clone();
        let client = Client::builder(self.api.base_url())
            .clock(std::sync::Arc::clone(&self.clock))
            .auth(move |_nsp| {
                let api = api.clone();
                async move {
                    let ticket = api.ticket().await.map_err(|e| e.to_string())?;
                    serde_json::to_value(socket::Ticket { ticket }).map_err(|e| e.to_string())
                }
            })
            .build();
        let socket = client.socket(&self.config.namespace);
        let mut server_events = socket.events().fuse();
        let mut states = futures::stream::unfold(socket.watch_state(), |mut rx| async move {
            rx.changed().await.ok()?;
            let state = rx.borrow_and_update().clone();
            Some((state, rx))
        })
        .boxed_local()
        .fuse();
        let mut connection = futures::stream::unfold(client.watch_state(), |mut rx| async move {
            rx.changed().await.ok()?;
            let state = rx.borrow_and_update().clone();
            Some((state, rx))
        })
        .boxed_local()
        .fuse();
        let mut local = self.db.events().stream().fuse();
        let mut flights: FuturesUnordered<Flight> = FuturesUnordered::new();
        loop {
            // With nothing due, wake anyway within the hour (a tick with nothing due does nothing).
            let wake = self.next_wake().map_or(self.clock.now() + Duration::from_secs(3600), Instant::from_millis);
            let mut timer = self.clock.sleep_until(wake).fuse();
            select_biased! {
                control = self.control.next() => match control {
                    None | Some(Control::Stop) => break,
                    Some(Control::AddVault(handle)) => {
                        self.joins += 1;
                        let generation = self.joins;
                        self.joining.insert(handle.id(), Joining { generation, pending: Vec::new() });
                        flights.push(ready(Replica::from(handle), generation));
                    }
                    Some(Control::RetryNow) => {
                        if matches!(self.socket_state, SocketState::Refused(_)) {
                            // Opens the refused namespace again (its state and events are shared).
                            drop(client.socket(&self.config.namespace));
                        } else {
                            client.retry_now();
                        }
                    }
                    Some(Control::RemoveVault(id)) => {
                        self.vaults.remove(&id);
                        self.joining.remove(&id);
                        if self.online() {
                            flights.push(self.subscribe(&socket));
                        }
                    }
                },
                state = states.next() => if let Some(state) = state {
                    self.socket_changed(state, &socket, &mut flights);
                },
                state = connection.next() => if let Some(state) = state {
                    self.connection_state = state;
                    self.update_link();
                },
                event = server_events.next() => if let Some(event) = event {
                    self.server_event(event, &socket, &mut flights);
                },
                event = local.next() => if let Some(ChangeEvent::Items(items)) = event {
                    self.items_changed(items, &socket, &mut flights);
                },
                done = flights.select_next_some() => self.done(done, &socket, &mut flights),
                () = timer => {
                    let now = self.now();
                    let ids: Vec<VaultId> = self.vaults.keys().copied().collect();
                    for id in ids {
                        let cmds = self.vaults.get_mut(&id).map(|s| s.sync.tick(now)).unwrap_or_default();
                        self.execute(id, cmds, &socket, &mut flights);
                    }
                },
            }
            self.publish_status();
        }
        client.close();
    }

    fn next_wake(&self) -> Option<u64> {
        self.vaults.values().filter_map(|s| s.sync.next_wake()).min()
    }

    fn update_link(&mut self) {
        let origin = crate::runtime::page_origin();
        self.link = Link::of(&self.socket_state, &self.connection_state, self.clock.now(), |e| {
            crate::explain::socket_refusal(e, origin.as_deref())
        });
    }

    fn publish_status(&self) {
        let status = match (&self.socket_state, &self.link) {
            // A vault whose outbox is still being read may have changes to send: not settled yet.
            (SocketState::Connected { .. }, _) if !self.joining.is_empty() => SyncStatus::Connecting,
            (SocketState::Connected { .. }, _) => SyncStatus::combine(self.vaults.values().map(|s| s.sync.status())),
            (_, Link::Refused(error)) => SyncStatus::Error { error: error.clone() },
            (SocketState::Connecting, _) => SyncStatus::Connecting,
            _ => SyncStatus::Offline,
        };
        let pending = self.vaults.values().map(|s| s.sync.waiting()).sum();
        let mut vaults: Vec<VaultId> = self.vaults.keys().chain(self.joining.keys()).copied().collect();
        vaults.sort_unstable();
        vaults.dedup();
        let state = EngineState { link: self.link.clone(), status, pending, vaults };
        self.status.send_if_modified(|s| {
            let changed = *s != state;
            *s = state;
            changed
        });
    }

    fn input(&mut self, id: VaultId, input: Input, socket: &Socket, flights: &mut FuturesUnordered<Flight>) {
        let now = self.now();
        let cmds = match self.vaults.get_mut(&id) {
            Some(slot) => slot.sync.handle(input, now),
            None => return,
        };
        self.execute(id, cmds, socket, flights);
    }

    fn socket_changed(&mut self, state: SocketState, socket: &Socket, flights: &mut FuturesUnordered<Flight>) {
        let was_online = self.online();
        self.socket_state = state;
        self.update_link();
        if self.online() {
            flights.push(self.subscribe(socket));
        } else if was_online {
            let ids: Vec<VaultId> = self.vaults.keys().copied().collect();
            for id in ids {
                self.input(id, Input::Disconnected, socket, flights);
            }
        }
    }

    fn server_event(&mut self, event: IncomingEvent, socket: &Socket, flights: &mut FuturesUnordered<Flight>) {
        if let Some(change) = change_of(&event) {
            let id = change.vault_id;
            self.input(id, Input::Event(change), socket, flights);
            return;
        }
        match ServerEvent::from_name(&event.name) {
            Some(ServerEvent::RefreshTicket) => {
                let (api, socket, timeout) = (self.api.clone(), socket.clone(), self.config.ack_timeout);
                flights.push(Box::pin(async move {
                    let sent = match api.ticket().await {
                        Ok(ticket) => socket.emit_with_ack::<TicketEvent>(&Ticket { ticket }, timeout).await.map(drop).map_err(|e| e.to_string()),
                        Err(error) => Err(error.to_string()),
                    };
                    // The server closes the socket when the old ticket runs out; the reconnect
                    // gets a fresh one.
                    if let Err(error) = sent {
                        tracing::warn!(%error, "the connection's ticket could not be renewed; it reconnects when the ticket runs out");
                    }
                    Done::Nothing
                }));
            }
            Some(ServerEvent::VaultCreate | ServerEvent::VaultUpdate) => {
                if let Ok(vault) = event.payload.arg::<WireVault>(0) {
                    let db = self.db.clone();
                    flights.push(Box::pin(async move {
                        let id = vault.id;
                        if let Err(error) = db.apply_remote_vault(vault.into()).await {
                            tracing::warn!(%error, vault = %id, "a vault change from the server could not be stored; the next sync reads it again");
                        }
                        Done::Nothing
                    }));
                }
            }
            Some(ServerEvent::VaultDelete) => {
                if let Ok(VaultDeleted { id }) = event.payload.arg::<VaultDeleted>(0) {
                    self.vaults.remove(&id);
                    self.joining.remove(&id);
                    let db = self.db.clone();
                    flights.push(Box::pin(async move {
                        let deleted = match db.vault(id).await {
                            Ok(mut vault) => {
                                vault.deleted_at = Some(localful_core::Timestamp::now());
                                db.apply_remote_vault(vault).await
                            }
                            Err(error) => Err(error),
                        };
                        if let Err(error) = deleted {
                            tracing::warn!(%error, vault = %id, "a vault deleted on the server could not be marked deleted here");
                        }
                        Done::Nothing
                    }));
                }
            }
            _ => {}
        }
    }

    /// Uploads vaults the server lacks, then subscribes to every synced vault.
    fn subscribe(&mut self, socket: &Socket) -> Flight {
        self.subscription += 1;
        let (api, db, socket, timeout) = (self.api.clone(), self.db.clone(), socket.clone(), self.config.ack_timeout);
        let vaults: Vec<VaultId> = self.vaults.keys().copied().collect();
        Box::pin(async move {
            download_server_vaults(&api, &db).await;
            if let Ok(pending) = db.pending_vaults().await {
                for vault in pending.into_iter().filter(|v| vaults.contains(&v.id) && v.deleted_at.is_none()) {
                    let uploaded = match api.create_vault(&VaultCreateRequest::from(&vault)).await {
                        Ok(_) => db.ack_vault(vault.id, vault.updated_at).await.map_err(|e| e.to_string()),
                        Err(error) => Err(error.to_string()),
                    };
                    // Still pending: uploaded again at the next subscription.
                    if let Err(error) = uploaded {
                        tracing::warn!(%error, vault = %vault.id, "a vault could not be uploaded; it is tried again at the next connection");
                    }
                }
            }
            let ack = socket.emit_with_ack::<SubscribeEvent>(&Subscribe { vaults }, timeout).await;
            Done::Subscribed(ack.map_err(|e| e.to_string()))
        })
    }

    fn done(&mut self, done: Done, socket: &Socket, flights: &mut FuturesUnordered<Flight>) {
        match done {
            Done::Input(id, Input::Repaired { request, outbox }) => {
                // Local writes merged while the repair ran may have committed after its read.
                let known = self.vaults.get(&id).and_then(|s| merged(&outbox, s.sync.outbox()));
                self.input(id, Input::Repaired { request, outbox: known.unwrap_or(outbox) }, socket, flights);
            }
            Done::Input(id, input) => self.input(id, input, socket, flights),
            Done::Ready { handle, seq, outbox, generation } => {
                let id = handle.id();
                // Removed, or added again, while its outbox was read: this read is not the join.
                let Some(joining) = self.joining.remove(&id).filter(|j| j.generation == generation) else { return };
                let outbox = merged(&outbox, &joining.pending).unwrap_or(outbox);
                let mut sync = VaultSync::new(id, seq, self.config.sync);
                let now = self.now();
                let cmds = sync.handle(Input::Outbox(outbox), now);
                self.vaults.insert(id, Slot { handle, sync });
                self.execute(id, cmds, socket, flights);
                if self.online() {
                    flights.push(self.subscribe(socket));
                }
            }
            Done::Subscribed(Ok(ack)) => {
                let retry = !ack.rejected.is_empty();
                for (id, latest_seq) in ack.latest_seq {
                    self.input(id, Input::Connected { latest_seq }, socket, flights);
                }
                if retry {
                    self.resubscribe_later(socket, flights);
                }
            }
            Done::Subscribed(Err(error)) => {
                tracing::debug!(%error, "the subscription was not acknowledged; it is sent again");
                self.resubscribe_later(socket, flights);
            }
            Done::Pending(id, entries) => self.merge(id, &entries, socket, flights),
            Done::Nothing => {}
        }
    }

    /// An item change event. A local write's (from any context) lists the outbox entries it
    /// left: they join the vault's outbox, which is never read again for it. The engine's own
    /// writes (changes from the server, repairs) leave nothing to push: ignored.
    fn items_changed(&mut self, items: ItemsChanged, socket: &Socket, flights: &mut FuturesUnordered<Flight>) {
        if items.origin != Origin::Local {
            return;
        }
        if let Some(joining) = self.joining.get_mut(&items.vault) {
            joining.pending.extend_from_slice(&items.pending);
        }
        self.merge(items.vault, &items.pending, socket, flights);
    }

    /// Merges `entries` into vault `id`'s outbox, telling its machine if that changed it.
    fn merge(&mut self, id: VaultId, entries: &[Pending], socket: &Socket, flights: &mut FuturesUnordered<Flight>) {
        let Some(outbox) = self.vaults.get(&id).and_then(|s| merged(s.sync.outbox(), entries)) else { return };
        self.input(id, Input::Outbox(outbox), socket, flights);
    }

    /// Some vault was refused (not uploaded yet by another device) or the ack was lost.
    fn resubscribe_later(&mut self, socket: &Socket, flights: &mut FuturesUnordered<Flight>) {
        if self.online() {
            let again = self.subscribe(socket);
            let wait = self.clock.sleep_until(self.clock.now() + Duration::from_secs(2));
            flights.push(Box::pin(async move {
                wait.await;
                again.await
            }));
        }
    }

    fn execute(&mut self, id: VaultId, cmds: Vec<Command>, socket: &Socket, flights: &mut FuturesUnordered<Flight>) {
        let Some(handle) = self.vaults.get(&id).map(|s| s.handle.clone()) else { return };
        for cmd in cmds {
            let flight: Flight = match cmd {
                Command::Push { request, entries } => {
                    let (handle, socket, timeout) = (handle.clone(), socket.clone(), self.config.ack_timeout);
                    Box::pin(async move {
                        let input = match handle.push_payload(&entries).await {
                            Ok(payload) => match socket.emit_with_ack::<PushEvent>(&payload, timeout).await {
                                Ok(ack) => Input::PushAcked { request, ack },
                                Err(error) => {
                                    tracing::debug!(%error, vault = %id, "a push was not acknowledged; it is retried");
                                    Input::PushFailed { request }
                                }
                            },
                            Err(error) => {
                                tracing::warn!(%error, vault = %id, "local changes could not be read for a push; it is retried");
                                Input::PushFailed { request }
                            }
                        };
                        Done::Input(id, input)
                    })
                }
                Command::Pull { request, since, limit } => {
                    let api = self.api.clone();
                    Box::pin(async move {
                        let input = match api.changes(id, since, limit).await {
                            Ok(page) => Input::Page { request, page },
                            Err(error) => {
                                tracing::debug!(%error, vault = %id, "a page of changes could not be fetched; it is retried");
                                Input::PullFailed { request }
                            }
                        };
                        Done::Input(id, input)
                    })
                }
                Command::Apply { request, changes } => {
                    let handle = handle.clone();
                    Box::pin(async move {
                        let input = match handle.apply_changes(&changes).await {
                            Ok(()) => Input::Applied { request },
                            Err(e) => Input::ApplyFailed { request, reason: e.to_string() },
                        };
                        Done::Input(id, input)
                    })
                }
                Command::Ack(entries) => {
                    let handle = handle.clone();
                    Box::pin(async move {
                        match handle.ack_pushed(&entries).await {
                            // What the acked items still hold (deleted since pushed, say) is pushed next.
                            Ok(acked) => Done::Pending(id, acked.pending),
                            // Not recorded as acknowledged: the entries stay in the outbox and are
                            // pushed again; the server answers a repeat with the same ack.
                            Err(error) => {
                                tracing::warn!(%error, vault = %id, "a push acknowledgement could not be recorded; the entries are sent again");
                                Done::Pending(id, entries)
                            }
                        }
                    })
                }
                Command::Snapshot { request } => {
                    let (api, handle) = (self.api.clone(), handle.clone());
                    Box::pin(async move { Done::Input(id, super::repair::snapshot(&api, &handle, request).await) })
                }
                Command::Repair { request, snapshot } => {
                    let (api, handle) = (self.api.clone(), handle.clone());
                    Box::pin(
                        async move { Done::Input(id, super::repair::repair(&api, &handle, request, snapshot).await) },
                    )
                }
                Command::SaveSeq(seq) => {
                    let handle = handle.clone();
                    Box::pin(async move {
                        // Not saved: the next start pulls again from the last saved position.
                        if let Err(error) = handle.set_meta(SEQ_META_KEY, seq.to_string()).await {
                            tracing::warn!(%error, vault = %id, seq, "the sync position could not be saved; changes after the last saved one are pulled again");
                        }
                        Done::Nothing
                    })
                }
                other => {
                    tracing::warn!(command = ?other, vault = %id, "the sync engine skips a command it does not know (a newer localful-core than this worker was built for?)");
                    continue;
                }
            };
            flights.push(flight);
        }
    }
}

/// Records the server's vaults this device has never had ("server only" → on this device, locked
/// until a tab unlocks it with its password). Vaults removed locally (tombstones) stay removed.
async fn download_server_vaults(api: &Api, db: &Database) {
    let (remote, local) = match (api.vaults().await, db.list_vaults().await) {
        (Ok(remote), Ok(local)) => (remote, local),
        (Err(error), _) => return tracing::warn!(%error, "the account's vaults could not be listed; tried again at the next connection"),
        (_, Err(error)) => return tracing::warn!(%error, "this device's vaults could not be listed; tried again at the next connection"),
    };
    for vault in remote.into_iter().filter(|r| r.deleted_at.is_none() && !local.iter().any(|l| l.id == r.id)) {
        let id = vault.id;
        if let Err(error) = db.apply_remote_vault(vault.into()).await {
            tracing::warn!(%error, vault = %id, "a vault of the account could not be recorded here; it is tried again at the next connection");
        }
    }
}

/// Reads a vault's saved `seq` and outbox before it joins the engine: the one full read of its
/// outbox, which finds the writes made while no engine ran (later ones come with their events).
fn ready(handle: Replica, generation: u64) -> Flight {
    Box::pin(async move {
        let id = handle.id();
        // Without a saved position the vault pulls from the start (applying is idempotent); an
        // outbox not read now is read at the next repair.
        let seq = match handle.meta(SEQ_META_KEY).await {
            Ok(saved) => saved.and_then(|s| s.parse().ok()).unwrap_or(0),
            Err(error) => {
                tracing::warn!(%error, vault = %id, "the sync position could not be read; the vault pulls from the start");
                0
            }
        };
        let outbox = handle.outbox().await.unwrap_or_else(|error| {
            tracing::warn!(%error, vault = %id, "the outbox could not be read; it is read again at the next repair");
            Vec::new()
        });
        Done::Ready { handle, seq, outbox, generation }
    })
}
