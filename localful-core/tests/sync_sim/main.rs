//! The sync simulation: devices with real stores and `VaultSync` machines, a model of the server,
//! and a network that drops, duplicates, delays and reorders every message; sockets that drop,
//! tabs that close between a write and its push, a server that restarts in the middle of a push
//! batch, a server restored from an older backup (its log and the data after the backup lost, so
//! devices must repair from its snapshot and push back what it lost). Thousands of seeded schedules; after each, with faults healed, every device and the
//! server must hold the same items and versions (the version ids of deleted items too), and no
//! version of a live item may be lost.
//!
//! `SYNC_SIM_SCHEDULES=n` runs more (or fewer) schedules; `SYNC_SIM_SEED=s` replays one.

#![allow(clippy::unwrap_used)]

mod device;
mod rng;
mod server;

use device::{Device, Outgoing};
use futures::executor::block_on;
use localful_core::sync::{Input, SyncConfig};
use localful_core::testing::PlainCipher;
use localful_core::wire::{Change, ChangesPage, PushAck, Snapshot};
use localful_core::*;
use rng::Rng;
use serde::{Deserialize, Serialize};
use server::Server;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Note {
    title: String,
    body: String,
}

impl Collection for Note {
    const NAME: &'static str = "notes";
}

const TICK: u64 = 5;

fn config() -> SyncConfig {
    SyncConfig {
        debounce_ms: 20,
        max_delay_ms: 80,
        min_push_interval_ms: 10,
        batch_size: 7,
        page_size: 5,
        prefetch_pages: 3,
        request_timeout_ms: 400,
        retry_base_ms: 20,
        retry_cap_ms: 300,
        park_ms: 10_000,
        poll_ms: 500,
        repair_ms: 1_500,
    }
}

/// The fault rates of one schedule.
#[derive(Debug, Clone, Copy)]
struct Faults {
    drop: f64,
    dup: f64,
    max_delay: u64,
    disconnect: f64,
    restart: f64,
    crash: f64,
    /// Per step: the server is replaced by its last backup.
    restore: f64,
}

#[derive(Debug, Default, Clone, Copy)]
struct Stats {
    schedules: u64,
    ops: u64,
    messages: u64,
    dropped: u64,
    duplicated: u64,
    delayed_reordered: u64,
    disconnects: u64,
    restarts: u64,
    crashes: u64,
    restores: u64,
    repairs: u64,
    versions: u64,
    virtual_ms: u64,
}

enum Msg {
    Push { dev: usize, epoch: u64, request: u64, payload: wire::PushRequest },
    Pull { dev: usize, request: u64, since: u64, limit: u64 },
    Ack { dev: usize, epoch: u64, request: u64, ack: PushAck },
    Page { dev: usize, request: u64, page: ChangesPage },
    Event { dev: usize, epoch: u64, change: Change },
    SnapshotRequest { dev: usize, request: u64 },
    Snapshot { dev: usize, request: u64, snapshot: Snapshot },
}

impl Clone for Msg {
    fn clone(&self) -> Self {
        match self {
            Msg::Push { dev, epoch, request, payload } => {
                Msg::Push { dev: *dev, epoch: *epoch, request: *request, payload: payload.clone() }
            }
            Msg::Pull { dev, request, since, limit } => {
                Msg::Pull { dev: *dev, request: *request, since: *since, limit: *limit }
            }
            Msg::Ack { dev, epoch, request, ack } => {
                Msg::Ack { dev: *dev, epoch: *epoch, request: *request, ack: ack.clone() }
            }
            Msg::Page { dev, request, page } => Msg::Page { dev: *dev, request: *request, page: page.clone() },
            Msg::Event { dev, epoch, change } => Msg::Event { dev: *dev, epoch: *epoch, change: change.clone() },
            Msg::SnapshotRequest { dev, request } => Msg::SnapshotRequest { dev: *dev, request: *request },
            Msg::Snapshot { dev, request, snapshot } => {
                Msg::Snapshot { dev: *dev, request: *request, snapshot: snapshot.clone() }
            }
        }
    }
}

struct World {
    rng: Rng,
    faults: Faults,
    healing: bool,
    now: u64,
    server: Server,
    /// The server's last backup, and when the server was last restored from one.
    backup: Option<Server>,
    last_restore: Option<u64>,
    devices: Vec<Device>,
    /// (deliver at, send order, message)
    net: Vec<(u64, u64, Msg)>,
    sent: u64,
    /// Every version any device created, with its item, and the versions deleted by an op.
    created: Vec<(ItemId, VersionId)>,
    deleted_versions: BTreeSet<VersionId>,
    items: Vec<ItemId>,
    stats: Stats,
}

impl World {
    fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let faults = Faults {
            drop: [0.0, 0.05, 0.2, 0.4][rng.below(4) as usize],
            dup: [0.0, 0.05, 0.3][rng.below(3) as usize],
            max_delay: [1, 30, 300][rng.below(3) as usize],
            disconnect: [0.0, 0.002, 0.02][rng.below(3) as usize],
            restart: [0.0, 0.001, 0.01][rng.below(3) as usize],
            crash: [0.0, 0.05, 0.3][rng.below(3) as usize],
            restore: [0.0, 0.002, 0.01][rng.below(3) as usize],
        };
        let n = 2 + rng.below(2) as usize;
        let schema = || Schema::new().with::<Note>();
        let first = Database::new(Rc::new(MemoryStore::new()), schema(), EventBus::local(), "device-0");
        let vault = block_on(first.create_vault("Shared", "v1:key")).unwrap();
        let mut dbs = vec![first];
        for i in 1..n {
            let db = Database::new(Rc::new(MemoryStore::new()), schema(), EventBus::local(), format!("device-{i}"));
            block_on(db.apply_remote_vault(vault.clone())).unwrap();
            dbs.push(db);
        }
        let devices = dbs
            .iter()
            .map(|db| Device::new(block_on(db.open_vault(vault.id, Rc::new(PlainCipher::new(0)))).unwrap(), config()))
            .collect();
        let mut w = World {
            rng,
            faults,
            healing: false,
            now: 0,
            server: Server::new(vault.id),
            backup: None,
            last_restore: None,
            devices,
            net: Vec::new(),
            sent: 0,
            created: Vec::new(),
            deleted_versions: BTreeSet::new(),
            items: Vec::new(),
            stats: Stats::default(),
        };
        for d in 0..n {
            let latest = w.server.latest_seq();
            let out = w.devices[d].connect(latest, 0);
            w.send_all(d, out);
        }
        w
    }

    fn send(&mut self, msg: Msg) {
        self.stats.messages += 1;
        let faulty = !self.healing;
        if faulty && self.rng.chance(self.faults.drop) {
            self.stats.dropped += 1;
            return;
        }
        let copies = if faulty && self.rng.chance(self.faults.dup) {
            self.stats.duplicated += 1;
            2
        } else {
            1
        };
        for _ in 0..copies {
            let delay = 1 + self.rng.below(self.faults.max_delay);
            if delay > TICK {
                self.stats.delayed_reordered += 1;
            }
            self.sent += 1;
            self.net.push((self.now + delay, self.sent, msg.clone()));
        }
    }

    fn send_all(&mut self, dev: usize, out: Vec<Outgoing>) {
        let epoch = self.devices[dev].epoch;
        for o in out {
            match o {
                Outgoing::Push { request, payload } => self.send(Msg::Push { dev, epoch, request, payload }),
                Outgoing::Pull { request, since, limit } => self.send(Msg::Pull { dev, request, since, limit }),
                Outgoing::Snapshot { request } => self.send(Msg::SnapshotRequest { dev, request }),
                Outgoing::Repair { request, snapshot } => self.repair(dev, request, snapshot),
            }
        }
    }

    /// Carries out a device's repair: plan it against its store, fetch the versions it names from
    /// the server (the fetches are lost as often as messages are), apply it.
    fn repair(&mut self, dev: usize, request: u64, snapshot: Snapshot) {
        let vault = self.devices[dev].vault.clone();
        let plan = block_on(localful_core::Replica::of(&vault).plan_repair(&snapshot)).unwrap();
        let input = if !self.healing && self.rng.chance(self.faults.drop) {
            Input::RepairFailed { request, reason: "a version fetch was lost".into() }
        } else {
            let versions: Vec<_> = plan.fetch.iter().filter_map(|v| self.server.versions.get(v).cloned()).collect();
            block_on(localful_core::Replica::of(&vault).apply_repair(&plan, &versions)).unwrap();
            self.stats.repairs += 1;
            Input::Repaired { request, outbox: block_on(localful_core::Replica::of(&vault).outbox()).unwrap() }
        };
        let out = self.devices[dev].input(input, self.now);
        self.send_all(dev, out);
    }

    /// The server is replaced by its last backup (and restarts: every socket drops).
    fn restore(&mut self) {
        let Some(backup) = self.backup.clone() else {
            return;
        };
        self.server = backup;
        self.stats.restores += 1;
        self.last_restore = Some(self.now);
        for d in 0..self.devices.len() {
            if self.devices[d].online {
                let out = self.devices[d].disconnect(self.now);
                self.send_all(d, out);
            }
        }
    }

    fn deliver(&mut self, msg: Msg) {
        let now = self.now;
        match msg {
            Msg::Push { dev, epoch, request, payload } => {
                if self.devices[dev].epoch != epoch || !self.devices[dev].online {
                    return; // the socket it was sent on is gone
                }
                let crash = !self.healing && self.rng.chance(self.faults.crash);
                let n = payload.items.len() + payload.versions.len();
                let cut = crash.then(|| self.rng.below(n as u64 + 1) as usize);
                let (ack, events) = self.server.push(&payload, cut);
                for change in events {
                    for other in 0..self.devices.len() {
                        if other != dev && self.devices[other].online {
                            let epoch = self.devices[other].epoch;
                            self.send(Msg::Event { dev: other, epoch, change: change.clone() });
                        }
                    }
                }
                match ack {
                    Some(ack) => self.send(Msg::Ack { dev, epoch, request, ack }),
                    None => {
                        // The server restarted mid-batch: every socket drops.
                        self.stats.crashes += 1;
                        for d in 0..self.devices.len() {
                            if self.devices[d].online {
                                let out = self.devices[d].disconnect(now);
                                self.send_all(d, out);
                            }
                        }
                    }
                }
            }
            Msg::Pull { dev, request, since, limit } => {
                let page = self.server.changes(since, limit);
                self.send(Msg::Page { dev, request, page });
            }
            Msg::Ack { dev, epoch, request, ack } => {
                if self.devices[dev].epoch == epoch {
                    let out = self.devices[dev].input(Input::PushAcked { request, ack }, now);
                    self.send_all(dev, out);
                }
            }
            Msg::Page { dev, request, page } => {
                let out = self.devices[dev].input(Input::Page { request, page }, now);
                self.send_all(dev, out);
            }
            Msg::Event { dev, epoch, change } => {
                if self.devices[dev].epoch == epoch {
                    let out = self.devices[dev].input(Input::Event(change), now);
                    self.send_all(dev, out);
                }
            }
            Msg::SnapshotRequest { dev, request } => {
                let snapshot = self.server.snapshot();
                self.send(Msg::Snapshot { dev, request, snapshot });
            }
            Msg::Snapshot { dev, request, snapshot } => {
                let out = self.devices[dev].input(Input::Snapshot { request, snapshot }, now);
                self.send_all(dev, out);
            }
        }
    }

    fn local_op(&mut self, dev: usize) {
        let vault = self.devices[dev].vault.clone();
        let roll = self.rng.below(100);
        let item = self.rng.pick(&self.items).copied();
        let text = format!("{}-{}", dev, self.rng.below(1_000_000));
        let note = Note { title: text.clone(), body: text };
        let done = match (roll, item) {
            (0..35, _) | (_, None) => {
                let id = block_on(vault.create(&note)).unwrap();
                let v = block_on(vault.history::<Note>(id)).unwrap()[0].id;
                self.items.push(id);
                self.created.push((id, v));
                true
            }
            (35..80, Some(id)) => match block_on(vault.update(id, &note)) {
                Ok(v) => {
                    self.created.push((id, v));
                    true
                }
                Err(_) => false, // not here yet, or deleted
            },
            (80..88, Some(id)) => block_on(vault.delete::<Note>(id)).is_ok(),
            (_, Some(id)) => match block_on(vault.history::<Note>(id)) {
                Ok(h) => {
                    let live: Vec<VersionId> = h.iter().filter(|v| v.is_live()).map(|v| v.id).collect();
                    match self.rng.pick(&live).copied() {
                        Some(v) if block_on(vault.delete_version::<Note>(id, v)).is_ok() => {
                            self.deleted_versions.insert(v);
                            true
                        }
                        _ => false,
                    }
                }
                Err(_) => false,
            },
        };
        if done {
            self.stats.ops += 1;
            let now = self.now;
            let out = self.devices[dev].refresh_outbox(now);
            self.send_all(dev, out);
        }
    }

    fn step(&mut self, active: bool) {
        self.now += TICK;
        let now = self.now;
        // Deliver what is due, in delivery order (delays reorder).
        self.net.sort_by_key(|(at, order, _)| (*at, *order));
        let due = self.net.iter().take_while(|(at, _, _)| *at <= now).count();
        let batch: Vec<_> = self.net.drain(..due).collect();
        for (_, _, msg) in batch {
            self.deliver(msg);
        }
        if active && self.faults.restore > 0.0 {
            if self.rng.chance(self.faults.restore) {
                self.restore();
            }
            if self.rng.chance(0.02) {
                self.backup = Some(self.server.clone());
            }
        }
        for d in 0..self.devices.len() {
            if active {
                if self.rng.chance(0.08) {
                    self.local_op(d);
                }
                if self.devices[d].online && self.rng.chance(self.faults.disconnect) {
                    self.stats.disconnects += 1;
                    let out = self.devices[d].disconnect(now);
                    self.send_all(d, out);
                } else if self.rng.chance(self.faults.restart) {
                    self.stats.restarts += 1;
                    self.devices[d].restart(now);
                }
            }
            if !self.devices[d].online && (!active || self.rng.chance(0.05)) {
                let latest = self.server.latest_seq();
                let out = self.devices[d].connect(latest, now);
                self.send_all(d, out);
            }
            let out = self.devices[d].tick(now);
            self.send_all(d, out);
        }
    }

    /// Nothing in flight, every device idle at the server's seq, and — after a restore — every
    /// device repaired since (a restore older than anything a device heard of is only found by
    /// the periodic repair).
    fn settled(&self) -> bool {
        let repaired = |d: &Device| self.last_restore.is_none_or(|t| d.sync.last_repair().is_some_and(|r| r >= t));
        self.net.is_empty()
            && self.devices.iter().all(|d| {
                d.online && d.sync.is_settled() && d.sync.applied_seq() == self.server.latest_seq() && repaired(d)
            })
    }

    fn run(&mut self, active_ms: u64) {
        while self.now < active_ms {
            self.step(true);
        }
        self.healing = true;
        let limit = self.now + 120_000;
        while !self.settled() {
            assert!(
                self.now < limit,
                "did not settle: {:#?}",
                self.devices
                    .iter()
                    .map(|d| (d.online, d.sync.status(), d.sync.outbox().len(), d.sync.applied_seq()))
                    .collect::<Vec<_>>()
            );
            self.step(false);
        }
        self.stats.virtual_ms += self.now;
    }

    /// Every device holds exactly the server's items and versions; nothing created was lost.
    fn check(&self, seed: u64) {
        let server = &self.server;
        for (item, v) in &self.created {
            let Some(si) = server.items.get(item) else { panic!("seed {seed}: item {item} never reached the server") };
            if si.deleted_at.is_some() {
                continue; // deleted items keep only their tombstone
            }
            let sv = server.versions.get(v).unwrap_or_else(|| panic!("seed {seed}: version {v} lost"));
            assert_eq!(sv.deleted_at.is_some(), self.deleted_versions.contains(v), "seed {seed}: version {v} liveness");
        }
        for (i, d) in self.devices.iter().enumerate() {
            assert!(
                d.apply_failures == 0 || self.stats.restores > 0,
                "seed {seed}: device {i} failed to apply the log of a server that was never restored"
            );
            assert!(block_on(localful_core::Replica::of(&d.vault).pending()).unwrap().is_empty(), "seed {seed}: device {i} outbox not empty");
            let ids: Vec<ItemId> = server.items.keys().copied().collect();
            let rows: BTreeMap<ItemId, StoredItem> = block_on(d.vault.database().store().get_items(d.vault_id(), &ids))
                .unwrap()
                .into_iter()
                .map(|r| (r.item.id, r))
                .collect();
            for (id, si) in &server.items {
                let row = rows.get(id).unwrap_or_else(|| panic!("seed {seed}: device {i} lacks item {id}"));
                assert_eq!(row.item.is_live(), si.deleted_at.is_none(), "seed {seed}: device {i} item {id} tombstone");
                let server_versions: BTreeMap<VersionId, bool> = server
                    .versions
                    .values()
                    .filter(|v| v.item_id == *id)
                    .map(|v| (v.id, v.deleted_at.is_none()))
                    .collect();
                let local: BTreeMap<VersionId, bool> = row.versions.iter().map(|v| (v.id, v.is_live())).collect();
                // A deleted item too: the same version ids (all deleted) everywhere, including
                // versions written on a device that had not yet seen the deletion.
                assert_eq!(local, server_versions, "seed {seed}: device {i} item {id} versions");
                if !row.item.is_live() {
                    continue;
                }
                let lww = server
                    .versions
                    .values()
                    .filter(|v| v.item_id == *id && v.deleted_at.is_none())
                    .max_by_key(|v| (v.created_at, v.id))
                    .map(|v| v.id);
                assert_eq!(row.item.current_version_id, lww, "seed {seed}: device {i} item {id} current version");
                let keys: Vec<_> = server_versions.iter().filter(|(_, live)| **live).map(|(v, _)| (*id, *v)).collect();
                for local in block_on(localful_core::Replica::of(&d.vault).versions(&keys)).unwrap() {
                    assert_eq!(
                        local.protected_data, server.versions[&local.id].protected_data,
                        "seed {seed}: device {i} version {} data",
                        local.id
                    );
                }
            }
        }
    }
}

fn schedules() -> Vec<u64> {
    if let Ok(seed) = std::env::var("SYNC_SIM_SEED") {
        return vec![seed.parse().unwrap()];
    }
    let n = std::env::var("SYNC_SIM_SCHEDULES").ok().and_then(|s| s.parse().ok()).unwrap_or(2_000);
    (0..n).collect()
}

#[test]
fn thousands_of_fault_schedules_converge() {
    let mut total = Stats::default();
    for seed in schedules() {
        let mut w = World::new(seed);
        let active = 300 + w.rng.below(700);
        w.run(active);
        w.check(seed);
        w.stats.versions = w.created.len() as u64;
        let s = w.stats;
        total.schedules += 1;
        total.ops += s.ops;
        total.messages += s.messages;
        total.dropped += s.dropped;
        total.duplicated += s.duplicated;
        total.delayed_reordered += s.delayed_reordered;
        total.disconnects += s.disconnects;
        total.restarts += s.restarts;
        total.crashes += s.crashes;
        total.restores += s.restores;
        total.repairs += s.repairs;
        total.versions += s.versions;
        total.virtual_ms += s.virtual_ms;
    }
    eprintln!("sync simulation: {total:#?}");
    assert!(
        total.schedules < 100
            || (total.dropped > 0
                && total.duplicated > 0
                && total.crashes > 0
                && total.restarts > 0
                && total.restores > 0
                && total.repairs > 0)
    );
}
