//! A simulated device: a real `Database` over a `MemoryStore`, one open vault and its `VaultSync`.
//! Commands run against the real store through the same `VaultHandle` methods the worker uses.

use futures::executor::block_on;
use localful_core::sync::{Command, Input, SyncConfig, VaultSync};
use localful_core::wire::{PushRequest, Snapshot};
use localful_core::{VaultHandle, VaultId};

/// What a device sends.
pub(crate) enum Outgoing {
    Push {
        request: u64,
        payload: PushRequest,
    },
    Pull {
        request: u64,
        since: u64,
        limit: u64,
    },
    Snapshot {
        request: u64,
    },
    /// Carried out by the world, which can fetch versions from the server.
    Repair {
        request: u64,
        snapshot: Snapshot,
    },
}

pub(crate) struct Device {
    pub(crate) vault: VaultHandle,
    pub(crate) sync: VaultSync,
    pub(crate) online: bool,
    /// Bumped on every (re)connect: packets of an older socket are lost.
    pub(crate) epoch: u64,
    /// What `SaveSeq` persisted (survives a restart).
    pub(crate) saved_seq: u64,
    pub(crate) config: SyncConfig,
    /// Server changes the store could not apply.
    pub(crate) apply_failures: u64,
}

impl Device {
    pub(crate) fn new(vault: VaultHandle, config: SyncConfig) -> Self {
        let sync = VaultSync::new(vault.id(), 0, config);
        let mut d = Self { vault, sync, online: false, epoch: 0, saved_seq: 0, config, apply_failures: 0 };
        d.refresh_outbox(0);
        d
    }

    pub(crate) fn vault_id(&self) -> VaultId {
        self.vault.id()
    }

    /// Re-reads the outbox into the machine (after a local write or an ack).
    pub(crate) fn refresh_outbox(&mut self, now: u64) -> Vec<Outgoing> {
        let outbox = block_on(localful_core::Replica::of(&self.vault).outbox()).expect("outbox");
        let cmds = self.sync.handle(Input::Outbox(outbox), now);
        self.run(cmds, now)
    }

    /// The tab closed: the machine's memory is gone, the store (and saved seq) stay.
    pub(crate) fn restart(&mut self, now: u64) {
        self.sync = VaultSync::new(self.vault.id(), self.saved_seq, self.config);
        self.online = false;
        self.epoch += 1;
        self.refresh_outbox(now);
    }

    pub(crate) fn disconnect(&mut self, now: u64) -> Vec<Outgoing> {
        self.online = false;
        self.epoch += 1;
        let cmds = self.sync.handle(Input::Disconnected, now);
        self.run(cmds, now)
    }

    pub(crate) fn connect(&mut self, latest_seq: u64, now: u64) -> Vec<Outgoing> {
        self.online = true;
        self.epoch += 1;
        let cmds = self.sync.handle(Input::Connected { latest_seq }, now);
        self.run(cmds, now)
    }

    pub(crate) fn input(&mut self, input: Input, now: u64) -> Vec<Outgoing> {
        let cmds = self.sync.handle(input, now);
        self.run(cmds, now)
    }

    pub(crate) fn tick(&mut self, now: u64) -> Vec<Outgoing> {
        if self.sync.next_wake().is_some_and(|w| w <= now) {
            let cmds = self.sync.tick(now);
            self.run(cmds, now)
        } else {
            Vec::new()
        }
    }

    /// Carries out commands until none are left.
    pub(crate) fn run(&mut self, cmds: Vec<Command>, now: u64) -> Vec<Outgoing> {
        let mut queue: std::collections::VecDeque<Command> = cmds.into();
        let mut out = Vec::new();
        while let Some(cmd) = queue.pop_front() {
            let more = match cmd {
                Command::Push { request, entries } => {
                    let payload = block_on(localful_core::Replica::of(&self.vault).push_payload(&entries)).expect("payload");
                    out.push(Outgoing::Push { request, payload });
                    Vec::new()
                }
                Command::Pull { request, since, limit } => {
                    out.push(Outgoing::Pull { request, since, limit });
                    Vec::new()
                }
                Command::Apply { request, changes } => {
                    match block_on(localful_core::Replica::of(&self.vault).apply_changes(&changes)) {
                        Ok(()) => self.sync.handle(Input::Applied { request }, now),
                        // Only a log that does not fit this device (after a server restore) fails.
                        Err(e) => {
                            self.apply_failures += 1;
                            self.sync.handle(Input::ApplyFailed { request, reason: e.to_string() }, now)
                        }
                    }
                }
                Command::Ack(entries) => {
                    block_on(localful_core::Replica::of(&self.vault).ack_pushed(&entries)).expect("ack");
                    let outbox = block_on(localful_core::Replica::of(&self.vault).outbox()).expect("outbox");
                    self.sync.handle(Input::Outbox(outbox), now)
                }
                Command::SaveSeq(seq) => {
                    self.saved_seq = seq;
                    Vec::new()
                }
                Command::Snapshot { request } => {
                    out.push(Outgoing::Snapshot { request });
                    Vec::new()
                }
                Command::Repair { request, snapshot } => {
                    out.push(Outgoing::Repair { request, snapshot });
                    Vec::new()
                }
                other => panic!("unexpected command {other:?}"),
            };
            queue.extend(more);
        }
        out
    }
}
