//! The pull side's repair states, step by step.

use super::state::{Cause, Pull, Repair};
use super::PullSide;
use crate::sync::shared::Shared;
use crate::sync::{Command, SyncConfig};
use crate::wire::{Change, ChangeKind, ChangesPage, ListingMeta, Snapshot, SnapshotMeta};
use crate::VaultId;

fn shared() -> Shared {
    let config = SyncConfig {
        request_timeout_ms: 500,
        retry_base_ms: 200,
        retry_cap_ms: 800,
        poll_ms: 60_000,
        repair_ms: 10_000,
        ..SyncConfig::default()
    };
    let mut shared = Shared::new(config);
    shared.online = true;
    shared
}

fn snapshot(latest_seq: u64) -> Snapshot {
    Snapshot { meta: SnapshotMeta { latest_seq, ..SnapshotMeta::default() }, ..Snapshot::default() }
}

fn event(seq: u64) -> Change {
    Change { seq, event: ChangeKind::ItemCreate, vault_id: VaultId::new(), created_at: None, item: None, version: None }
}

fn drive(pull: &mut PullSide, now: u64, shared: &mut Shared) -> Vec<Command> {
    let mut out = Vec::new();
    pull.drive(now, shared, &mut out);
    out
}

/// The connect-time poll, answered with an empty page at `seq`.
fn poll(pull: &mut PullSide, seq: u64, now: u64, shared: &mut Shared) {
    let cmds = drive(pull, now, shared);
    let [Command::Pull { request, .. }] = cmds[..] else { panic!("{cmds:?}") };
    let meta = ListingMeta { results: 0, total: 0, limit: 1, offset: 0, latest_seq: Some(seq) };
    pull.page_arrived(request, ChangesPage { meta, results: vec![] }, now, shared, &mut Vec::new());
    assert_eq!(pull.state, Pull::Idle);
}

/// The snapshot request the pull side waits for, with the cause it ran for.
fn asked(pull: &PullSide) -> (u64, Cause) {
    let Pull::Repair(Repair::Snapshot { request, cause, .. }) = pull.state else { panic!("{:?}", pull.state) };
    (request, cause)
}

#[test]
fn a_log_that_cannot_answer_keeps_the_repair_due_through_failures_until_one_is_done() {
    let mut shared = shared();
    let mut pull = PullSide::new(5);
    pull.connected(3, 0); // the server is behind the applied seq: it lost part of its log
    assert_eq!(pull.state, Pull::Repair(Repair::Due));
    assert_eq!((pull.applied, pull.latest), (3, 3));
    assert!(pull.is_repairing() && !pull.is_settled());

    let cmds = drive(&mut pull, 0, &mut shared);
    let (request, cause) = asked(&pull);
    assert_eq!((cmds, cause), (vec![Command::Snapshot { request }], Cause::Log));
    pull.snapshot_failed(request, 10, &shared);
    assert_eq!(pull.state, Pull::Repair(Repair::Due), "still due");
    assert_eq!(pull.next_wake(&shared), Some(210), "after the retry");
    assert!(drive(&mut pull, 209, &mut shared).is_empty(), "no pull of the log meanwhile");

    drive(&mut pull, 210, &mut shared);
    let (request, _) = asked(&pull);
    let mut out = Vec::new();
    pull.snapshot(request, snapshot(4), &mut out);
    assert_eq!(out, vec![Command::Repair { request, snapshot: snapshot(4) }]);
    assert_eq!(pull.state, Pull::Repair(Repair::Repairing { request, seq: 4, cause: Cause::Log }));
    pull.repair_failed(request, "disk full", 220, &mut shared);
    assert_eq!(pull.state, Pull::Repair(Repair::Due));
    assert!(matches!(&shared.error, Some(crate::sync::SyncError::Repair { detail }) if detail.contains("disk full")));

    drive(&mut pull, 10_000, &mut shared);
    let (request, _) = asked(&pull);
    let mut out = Vec::new();
    pull.snapshot(request, snapshot(4), &mut out);
    out.clear();
    assert!(pull.repaired(request, 10_100, &mut out));
    assert_eq!(out, vec![Command::SaveSeq(4)]);
    assert_eq!(pull.state, Pull::Idle);
    assert_eq!((pull.applied, pull.last_repair()), (4, Some(10_100)));
    assert!(!pull.is_repairing() && pull.is_settled());
}

#[test]
fn a_failed_periodic_repair_leaves_the_pull_side_idle_and_is_asked_again_while_due() {
    let mut shared = shared();
    let mut pull = PullSide::new(0);
    pull.connected(0, 0);
    assert_eq!(pull.state, Pull::Idle);
    assert_eq!(pull.next_wake(&shared), Some(0), "the connect-time poll");
    poll(&mut pull, 0, 0, &mut shared);
    assert_eq!(pull.next_wake(&shared), Some(10_000), "the periodic repair comes before the next poll");

    drive(&mut pull, 10_000, &mut shared);
    let (request, cause) = asked(&pull);
    assert_eq!(cause, Cause::Periodic);
    assert!(pull.is_repairing());
    pull.tick(10_499, &shared);
    assert_eq!(asked(&pull).0, request, "not timed out yet");
    pull.tick(10_500, &shared);
    assert_eq!(pull.state, Pull::Idle, "a failed periodic repair is no repair due");
    assert!(!pull.is_repairing() && pull.is_settled());

    assert!(drive(&mut pull, 10_699, &mut shared).is_empty(), "retry backoff");
    drive(&mut pull, 10_700, &mut shared);
    assert_eq!(asked(&pull).1, Cause::Periodic, "still due: asked again");
}

#[test]
fn a_server_found_behind_during_a_periodic_repair_makes_it_one_the_log_needs() {
    let mut shared = shared();
    let mut pull = PullSide::new(7);
    pull.connected(7, 0);
    poll(&mut pull, 7, 0, &mut shared);
    drive(&mut pull, 10_000, &mut shared);
    let (request, cause) = asked(&pull);
    assert_eq!(cause, Cause::Periodic);

    pull.connected(2, 10_010); // reconnected to a server restored from an older backup
    assert_eq!(asked(&pull), (request, Cause::Log), "the snapshot asked for goes on");
    assert_eq!(pull.applied, 2);
    pull.disconnected();
    assert_eq!(pull.state, Pull::Repair(Repair::Due), "abandoned, and due again");
}

#[test]
fn an_event_applied_while_a_repair_is_due_leaves_it_due() {
    let mut shared = shared();
    let mut pull = PullSide::new(5);
    pull.connected(3, 0);
    drive(&mut pull, 0, &mut shared);
    let (request, _) = asked(&pull);
    pull.snapshot_failed(request, 0, &shared); // the retry holds the repair back until 200

    let mut out = Vec::new();
    pull.event(event(9), &mut shared, &mut out);
    assert!(out.is_empty(), "not the next seq");
    pull.event(event(4), &mut shared, &mut out);
    let [Command::Apply { request, changes }] = &out[..] else { panic!("{out:?}") };
    assert_eq!(changes[0].seq, 4);
    assert_eq!(pull.state, Pull::Repair(Repair::Applying { request: *request, up_to: 4 }));
    assert!(pull.is_repairing());

    let request = *request;
    out.clear();
    pull.applied(request, 50, &mut shared, &mut out);
    assert_eq!(out, vec![Command::SaveSeq(4)]);
    assert_eq!(pull.state, Pull::Repair(Repair::Due), "the log still cannot answer");
    assert_eq!((pull.applied, pull.latest), (4, 9));

    pull.event(event(5), &mut shared, &mut out);
    let Some(Command::Apply { request, .. }) = out.last().cloned() else { panic!("{out:?}") };
    pull.apply_failed(request, "unknown item", 60, &mut shared);
    assert_eq!(pull.state, Pull::Repair(Repair::Due));
    assert_eq!(pull.applied, 4);
}

#[test]
fn an_apply_the_log_cannot_satisfy_makes_a_repair_due() {
    let mut shared = shared();
    let mut pull = PullSide::new(0);
    pull.connected(1, 0);
    let mut out = Vec::new();
    pull.event(event(1), &mut shared, &mut out);
    let [Command::Apply { request, .. }] = out[..] else { panic!("{out:?}") };
    assert_eq!(pull.state, Pull::Applying { request, up_to: 1 });
    assert!(!pull.is_repairing());
    pull.apply_failed(request, "a version of an item never seen", 5, &mut shared);
    assert_eq!(pull.state, Pull::Repair(Repair::Due));
    assert!(pull.is_repairing());
    assert!(drive(&mut pull, 204, &mut shared).is_empty(), "retry backoff");
    drive(&mut pull, 205, &mut shared);
    assert_eq!(asked(&pull).1, Cause::Log);
}

#[test]
fn a_page_without_latest_seq_leaves_the_counts_sane() {
    let mut shared = shared();
    shared.config.repair_ms = 1_000_000; // the poll comes first
    let mut pull = PullSide::new(0);
    pull.connected(2, 0);
    let cmds = drive(&mut pull, 0, &mut shared);
    let [Command::Pull { request, .. }] = cmds[..] else { panic!("{cmds:?}") };
    let meta = ListingMeta { results: 3, total: 3, limit: 100, offset: 0, latest_seq: None };
    let mut out = Vec::new();
    pull.page_arrived(request, ChangesPage { meta, results: vec![event(1), event(2), event(3)] }, 0, &mut shared, &mut out);
    let [Command::Apply { request, .. }] = out[..] else { panic!("{out:?}") };
    pull.applied(request, 5, &mut shared, &mut Vec::new());
    assert_eq!(pull.behind(), 0);
    // A server that answered fewer changes than it announced must not make a later pull's count wrap.
    let cmds = drive(&mut pull, 60_000, &mut shared);
    assert!(matches!(cmds[..], [Command::Pull { since: 3, .. }]), "{cmds:?}");
}
