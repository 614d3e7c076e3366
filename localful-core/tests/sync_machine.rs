//! `VaultSync` step by step: the timing and bookkeeping rules the simulation relies on.

#![allow(clippy::unwrap_used)]

use localful_core::sync::{Command, Input, Pending, SyncConfig, SyncError, SyncStatus, VaultSync};
use localful_core::wire::{
    Change, ChangeKind, ChangesPage, ErrorBody, ErrorKind, ListingMeta, PushAck, PushOutcome, PushStatus, Snapshot, SnapshotMeta,
};
use localful_core::{ItemId, OutboxEntry, VaultId, VersionId};

fn config() -> SyncConfig {
    SyncConfig {
        debounce_ms: 100,
        max_delay_ms: 1_000,
        min_push_interval_ms: 50,
        batch_size: 3,
        page_size: 2,
        prefetch_pages: 1,
        request_timeout_ms: 500,
        retry_base_ms: 200,
        retry_cap_ms: 800,
        park_ms: 10_000,
        poll_ms: 60_000,
        repair_ms: 3_600_000,
    }
}

fn snapshot(latest_seq: u64) -> Snapshot {
    Snapshot { meta: SnapshotMeta { latest_seq, ..SnapshotMeta::default() }, ..Snapshot::default() }
}

fn online(vault: VaultId, latest: u64) -> VaultSync {
    let mut s = VaultSync::new(vault, 0, config());
    let cmds = s.handle(Input::Connected { latest_seq: latest }, 0);
    if latest == 0 {
        // The connect-time poll: an empty page settles it.
        let Some(Command::Pull { request, .. }) = cmds.first().cloned() else { panic!("{cmds:?}") };
        s.handle(Input::Page { request, page: page(vec![], 0) }, 0);
    }
    s
}

fn page(results: Vec<Change>, latest: u64) -> ChangesPage {
    ChangesPage {
        meta: ListingMeta { results: results.len() as u64, total: 0, limit: 2, offset: 0, latest_seq: Some(latest) },
        results,
    }
}

fn change(vault: VaultId, seq: u64) -> Change {
    Change { seq, event: ChangeKind::ItemCreate, vault_id: vault, created_at: None, item: None, version: None }
}

fn item(deleted: bool) -> (Pending, ItemId) {
    let id = ItemId::new();
    (Pending { entry: OutboxEntry::Item(id), deleted }, id)
}

trait VersionOf {
    fn entry_version(&self) -> VersionId;
}

impl VersionOf for Pending {
    fn entry_version(&self) -> VersionId {
        match self.entry {
            OutboxEntry::Version(_, v) => v,
            OutboxEntry::Item(_) => panic!("not a version entry"),
        }
    }
}

fn ok(id: impl ToString) -> PushOutcome {
    PushOutcome { id: id.to_string(), ok: true, status: Some(PushStatus::Created), error: None }
}

fn pushes(cmds: &[Command]) -> Vec<Vec<Pending>> {
    cmds.iter()
        .filter_map(|c| if let Command::Push { entries, .. } = c { Some(entries.clone()) } else { None })
        .collect()
}

#[test]
fn pushes_after_the_debounce_items_before_versions_in_batches() {
    let vault = VaultId::new();
    let mut s = online(vault, 0);
    let (i1, id1) = item(false);
    let v1 = Pending { entry: OutboxEntry::Version(id1, VersionId::new()), deleted: false };
    let (i2, _) = item(false);
    let (i3, _) = item(false);
    assert!(pushes(&s.handle(Input::Outbox(vec![v1, i1, i2, i3]), 1_000)).is_empty(), "debounced");
    assert_eq!(s.next_wake(), Some(1_100));
    assert!(pushes(&s.tick(1_099)).is_empty());
    let sent = pushes(&s.tick(1_100));
    assert_eq!(sent, vec![vec![i1, i2, i3]], "three items first, the version waits for the next batch");
    assert_eq!(s.status(), SyncStatus::Syncing { done: 0, total: 4 });
}

#[test]
fn counts_the_changed_items_waiting_until_the_server_acks_them() {
    let vault = VaultId::new();
    let mut s = VaultSync::new(vault, 0, config());
    assert_eq!(s.waiting(), 0);
    // A new note is its item and its first version: one change; an edited one is one more.
    let (i1, id1) = item(false);
    let v1 = Pending { entry: OutboxEntry::Version(id1, VersionId::new()), deleted: false };
    let (i2, id2) = item(false);
    let v2 = Pending { entry: OutboxEntry::Version(id2, VersionId::new()), deleted: false };
    let v2b = Pending { entry: OutboxEntry::Version(id2, VersionId::new()), deleted: false };
    s.handle(Input::Outbox(vec![i1, v1, i2, v2, v2b]), 0);
    assert_eq!(s.waiting(), 2, "counted while offline too");
    s.handle(Input::Connected { latest_seq: 0 }, 0);
    let cmds = s.tick(1_000);
    let Some(Command::Push { request, entries }) = cmds.iter().find(|c| matches!(c, Command::Push { .. })).cloned()
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(entries, vec![i1, i2, v1], "items first, then versions");
    assert_eq!(s.waiting(), 2, "in flight is not acknowledged");
    let ack = PushAck { ok: true, items: vec![ok(id1), ok(id2)], versions: vec![ok(v1.entry_version())], error: None };
    s.handle(Input::PushAcked { request, ack }, 1_010);
    assert_eq!(s.waiting(), 1, "the second note still has versions to send");
}

#[test]
fn clears_only_what_the_server_acked_and_retries_the_rest_with_backoff() {
    let vault = VaultId::new();
    let mut s = online(vault, 0);
    let (a, ida) = item(false);
    let (b, idb) = item(false);
    s.handle(Input::Outbox(vec![a, b]), 0);
    let cmds = s.tick(100);
    let Some(Command::Push { request, .. }) = cmds.first().cloned() else { panic!("{cmds:?}") };
    let failed = PushOutcome {
        id: idb.to_string(),
        ok: false,
        status: None,
        error: Some(ErrorBody {
            status_code: 500,
            identifier: "system-unexpected-error".into(),
            message: String::new(),
            context: None,
        }),
    };
    let cmds = s.handle(
        Input::PushAcked {
            request,
            ack: PushAck { ok: true, items: vec![ok(ida), failed], versions: vec![], error: None },
        },
        150,
    );
    assert_eq!(cmds, vec![Command::Ack(vec![a])]);
    assert_eq!(s.outbox(), &[b]);
    assert!(pushes(&s.tick(300)).is_empty(), "backing off");
    assert_eq!(pushes(&s.tick(350)), vec![vec![b]], "retried after 200 ms");
}

#[test]
fn a_lost_ack_times_out_and_a_late_or_duplicate_ack_is_ignored() {
    let vault = VaultId::new();
    let mut s = online(vault, 0);
    let (a, ida) = item(false);
    s.handle(Input::Outbox(vec![a]), 0);
    let Some(Command::Push { request: first, .. }) = s.tick(100).first().cloned() else { panic!() };
    assert!(pushes(&s.tick(599)).is_empty());
    s.tick(600); // timed out: backoff 200 ms
    let Some(Command::Push { request: second, .. }) = s.tick(800).first().cloned() else { panic!() };
    assert_ne!(first, second);
    let late = s.handle(
        Input::PushAcked { request: first, ack: PushAck { ok: true, items: vec![ok(ida)], ..PushAck::default() } },
        810,
    );
    assert!(late.is_empty(), "the ack of an abandoned push changes nothing");
    let acked = s.handle(
        Input::PushAcked { request: second, ack: PushAck { ok: true, items: vec![ok(ida)], ..PushAck::default() } },
        820,
    );
    assert_eq!(acked, vec![Command::Ack(vec![a])]);
    let again = s.handle(
        Input::PushAcked { request: second, ack: PushAck { ok: true, items: vec![ok(ida)], ..PushAck::default() } },
        830,
    );
    assert!(again.is_empty(), "a duplicated ack is ignored");
}

#[test]
fn refused_entries_are_parked_and_reported_not_dropped() {
    let vault = VaultId::new();
    let mut s = online(vault, 0);
    let (a, ida) = item(false);
    s.handle(Input::Outbox(vec![a]), 0);
    let Some(Command::Push { request, .. }) = s.tick(100).first().cloned() else { panic!() };
    let refused = PushOutcome {
        id: ida.to_string(),
        ok: false,
        status: None,
        error: Some(ErrorBody {
            status_code: 403,
            identifier: "limit-exceeded".into(),
            message: String::new(),
            context: None,
        }),
    };
    assert!(
        s.handle(
            Input::PushAcked { request, ack: PushAck { ok: true, items: vec![refused], ..PushAck::default() } },
            110
        )
        .is_empty()
    );
    assert_eq!(s.outbox(), &[a], "kept");
    assert!(matches!(
        s.status(),
        SyncStatus::Error { error: SyncError::ChangesRefused { kind: ErrorKind::LimitExceeded, .. } }
    ));
    assert!(pushes(&s.tick(5_000)).is_empty(), "parked");
    assert_eq!(pushes(&s.tick(10_110)), vec![vec![a]], "tried again after park_ms");
}

#[test]
fn pulls_pages_applies_then_saves_and_an_event_gap_leads_to_a_pull() {
    let vault = VaultId::new();
    let mut s = VaultSync::new(vault, 0, config());
    let cmds = s.handle(Input::Connected { latest_seq: 3 }, 0);
    assert!(matches!(cmds[..], [Command::Pull { since: 0, limit: 2, .. }]));
    let Command::Pull { request, .. } = cmds[0] else { unreachable!() };
    assert_eq!(s.status(), SyncStatus::Syncing { done: 0, total: 3 }, "n of m while pulling");
    let cmds = s.handle(Input::Page { request, page: page(vec![change(vault, 1), change(vault, 2)], 3) }, 10);
    let [Command::Apply { request: apply, changes }, Command::Pull { request: next, since: 2, .. }] = &cmds[..] else {
        panic!("the page is applied and the next one asked for meanwhile: {cmds:?}")
    };
    assert_eq!(changes.len(), 2);
    assert_eq!(s.applied_seq(), 0, "not before the store has it");
    let cmds = s.handle(Input::Applied { request: *apply }, 20);
    assert_eq!(cmds, vec![Command::SaveSeq(2)], "the next page is already on its way");
    assert_eq!(s.status(), SyncStatus::Syncing { done: 2, total: 3 });
    let Some(Command::Apply { request: apply, .. }) =
        s.handle(Input::Page { request: *next, page: page(vec![change(vault, 3)], 3) }, 30).first().cloned()
    else {
        panic!()
    };
    assert_eq!(s.handle(Input::Applied { request: apply }, 40), vec![Command::SaveSeq(3)]);
    assert_eq!(s.status(), SyncStatus::Idle);

    // The next event applies directly; a duplicate is ignored; a gap pulls.
    let Some(Command::Apply { request: apply, .. }) = s.handle(Input::Event(change(vault, 4)), 50).first().cloned()
    else {
        panic!()
    };
    s.handle(Input::Applied { request: apply }, 55);
    assert!(s.handle(Input::Event(change(vault, 4)), 60).is_empty());
    let cmds = s.handle(Input::Event(change(vault, 7)), 70);
    assert!(matches!(cmds[..], [Command::Pull { since: 4, .. }]), "{cmds:?}");
}

fn applied(cmds: &[Command]) -> Vec<u64> {
    cmds.iter()
        .filter_map(|c| if let Command::Apply { changes, .. } = c { Some(changes.iter().map(|c| c.seq)) } else { None })
        .flatten()
        .collect()
}

#[test]
fn the_next_page_is_fetched_while_one_applies_and_only_applied_after_it() {
    let vault = VaultId::new();
    let mut s = VaultSync::new(vault, 0, config());
    let Some(Command::Pull { request, .. }) = s.handle(Input::Connected { latest_seq: 6 }, 0).first().cloned() else {
        panic!()
    };
    let cmds = s.handle(Input::Page { request, page: page(vec![change(vault, 1), change(vault, 2)], 6) }, 10);
    let [Command::Apply { request: first, .. }, Command::Pull { request: next, since: 2, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    // The next page arrives before the first is applied: it waits.
    let cmds = s.handle(Input::Page { request: next, page: page(vec![change(vault, 3), change(vault, 4)], 6) }, 20);
    assert!(applied(&cmds).is_empty(), "not before the previous page is applied: {cmds:?}");
    let cmds = s.handle(Input::Applied { request: first }, 30);
    assert_eq!(cmds[0], Command::SaveSeq(2));
    assert_eq!(applied(&cmds), [3, 4], "then applied at once: {cmds:?}");
    let (Some(Command::Apply { request: second, .. }), Some(Command::Pull { request: last, since: 4, .. })) =
        (cmds.get(1).cloned(), cmds.get(2).cloned())
    else {
        panic!("{cmds:?}")
    };
    // The apply fails: the page fetched meanwhile is dropped, nothing after the failure is applied.
    s.handle(Input::ApplyFailed { request: second, reason: "refused".into() }, 40);
    let cmds = s.handle(Input::Page { request: last, page: page(vec![change(vault, 5), change(vault, 6)], 6) }, 50);
    assert!(applied(&cmds).is_empty(), "{cmds:?}");
    assert_eq!(s.applied_seq(), 2);
    assert!(s.is_repairing(), "a failed apply leads to a repair");

    // A prefetch that fails is asked for again once the page before it is applied.
    let mut s = VaultSync::new(vault, 0, config());
    let Some(Command::Pull { request, .. }) = s.handle(Input::Connected { latest_seq: 4 }, 0).first().cloned() else {
        panic!()
    };
    let cmds = s.handle(Input::Page { request, page: page(vec![change(vault, 1), change(vault, 2)], 4) }, 10);
    let [Command::Apply { request: first, .. }, Command::Pull { request: next, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert!(s.handle(Input::PullFailed { request: next }, 20).is_empty());
    let cmds = s.handle(Input::Applied { request: first }, 30);
    assert!(matches!(cmds[..], [Command::SaveSeq(2), Command::Pull { since: 2, .. }]), "{cmds:?}");

    // Offline, a prefetched page is dropped like any pull.
    let mut s = VaultSync::new(vault, 0, config());
    let Some(Command::Pull { request, .. }) = s.handle(Input::Connected { latest_seq: 4 }, 0).first().cloned() else {
        panic!()
    };
    let cmds = s.handle(Input::Page { request, page: page(vec![change(vault, 1), change(vault, 2)], 4) }, 10);
    let [Command::Apply { request: first, .. }, Command::Pull { request: next, .. }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    s.handle(Input::Disconnected, 15);
    s.handle(Input::Page { request: next, page: page(vec![change(vault, 3), change(vault, 4)], 4) }, 20);
    let cmds = s.handle(Input::Applied { request: first }, 30);
    assert_eq!(cmds, vec![Command::SaveSeq(2)], "the apply still completes; nothing more offline");
    assert_eq!(s.applied_seq(), 2);
}

fn pull_since(cmds: &[Command]) -> Vec<(u64, u64)> {
    cmds.iter()
        .filter_map(|c| if let Command::Pull { request, since, .. } = c { Some((*request, *since)) } else { None })
        .collect()
}

#[test]
fn pages_are_fetched_ahead_at_once_and_those_that_arrived_are_applied_in_one_write() {
    let vault = VaultId::new();
    let ahead = SyncConfig { prefetch_pages: 3, ..config() };
    let pages = |from: u64, to: u64| page((from..=to).map(|seq| change(vault, seq)).collect(), 12);
    let start = |s: &mut VaultSync| {
        let [(request, 0)] = pull_since(&s.handle(Input::Connected { latest_seq: 12 }, 0))[..] else { panic!() };
        let cmds = s.handle(Input::Page { request, page: pages(1, 2) }, 10);
        assert_eq!(applied(&cmds), [1, 2]);
        let Some(Command::Apply { request: first, .. }) = cmds.first().cloned() else { panic!("{cmds:?}") };
        (first, pull_since(&cmds))
    };

    // The log has no gaps: the three pages after the applying one are asked for at once.
    let mut s = VaultSync::new(vault, 0, ahead);
    let (first, asked) = start(&mut s);
    let [(p1, 2), (p2, 4), (p3, 6)] = asked[..] else { panic!("{asked:?}") };
    // They arrive in any order while the first page is applied: nothing more is asked.
    assert!(s.handle(Input::Page { request: p2, page: pages(5, 6) }, 11).is_empty());
    assert!(s.handle(Input::Page { request: p1, page: pages(3, 4) }, 12).is_empty());
    assert!(s.handle(Input::Page { request: p3, page: pages(7, 8) }, 13).is_empty());
    let cmds = s.handle(Input::Applied { request: first }, 20);
    assert_eq!(cmds[0], Command::SaveSeq(2));
    assert_eq!(applied(&cmds), [3, 4, 5, 6, 7, 8], "the pages that arrived, in one apply: {cmds:?}");
    let [(p4, 8), (p5, 10)] = pull_since(&cmds)[..] else { panic!("{cmds:?}") };
    let Some(Command::Apply { request: second, .. }) = cmds.get(1).cloned() else { panic!("{cmds:?}") };
    // A page not here when the apply ends is waited for; the one after it stays asked for and is
    // applied with it.
    assert_eq!(s.handle(Input::Applied { request: second }, 30), [Command::SaveSeq(8)]);
    assert!(s.handle(Input::Page { request: p5, page: pages(11, 12) }, 35).is_empty());
    let cmds = s.handle(Input::Page { request: p4, page: pages(9, 10) }, 40);
    assert_eq!(applied(&cmds), [9, 10, 11, 12]);
    assert!(pull_since(&cmds).is_empty(), "nothing left to ask for");

    // A page ahead that fails takes the ones asked after it along; they are asked again once the
    // pages before them are applied.
    let mut s = VaultSync::new(vault, 0, ahead);
    let (first, asked) = start(&mut s);
    let [(p1, 2), (p2, 4), (p3, 6)] = asked[..] else { panic!("{asked:?}") };
    assert!(s.handle(Input::Page { request: p1, page: pages(3, 4) }, 11).is_empty());
    assert!(s.handle(Input::PullFailed { request: p2 }, 12).is_empty());
    assert!(s.handle(Input::Page { request: p3, page: pages(7, 8) }, 13).is_empty(), "dropped with the failed one");
    assert!(s.handle(Input::Page { request: p2, page: pages(5, 6) }, 14).is_empty(), "a late answer is ignored");
    let cmds = s.handle(Input::Applied { request: first }, 20);
    assert_eq!(applied(&cmds), [3, 4]);
    assert_eq!(pull_since(&cmds).iter().map(|p| p.1).collect::<Vec<_>>(), [4, 6, 8], "{cmds:?}");

    // A page shorter than asked (fewer changes than the limit) breaks the chain after it: what
    // was asked past it is dropped and the pull resumes where it really ended.
    let mut s = VaultSync::new(vault, 0, ahead);
    let (first, asked) = start(&mut s);
    let [(p1, 2), (p2, 4), (p3, 6)] = asked[..] else { panic!("{asked:?}") };
    assert!(s.handle(Input::Page { request: p1, page: pages(3, 3) }, 11).is_empty());
    s.handle(Input::Page { request: p2, page: pages(5, 6) }, 12);
    s.handle(Input::Page { request: p3, page: pages(7, 8) }, 13);
    let cmds = s.handle(Input::Applied { request: first }, 20);
    assert_eq!(applied(&cmds), [3], "only what follows on: {cmds:?}");
    let Some(Command::Apply { request: short, .. }) = cmds.get(1).cloned() else { panic!("{cmds:?}") };
    let cmds = s.handle(Input::Applied { request: short }, 30);
    assert!(matches!(cmds[..], [Command::SaveSeq(3), Command::Pull { since: 3, limit: 2, .. }]), "{cmds:?}");
    assert_eq!(s.applied_seq(), 3);
}

#[test]
fn a_server_behind_us_is_repaired_from_its_snapshot_then_the_log_resumes_after_it() {
    let vault = VaultId::new();
    let mut s = VaultSync::new(vault, 10, config());
    let cmds = s.handle(Input::Connected { latest_seq: 4 }, 0);
    let [Command::Snapshot { request }] = cmds[..] else { panic!("{cmds:?}") };
    assert!(s.is_repairing() && !s.is_settled());
    assert!(matches!(s.status(), SyncStatus::Syncing { .. }));
    // A lost snapshot answer times out and is asked again after the backoff.
    assert!(s.tick(499).is_empty());
    assert!(s.tick(500).is_empty());
    let cmds = s.tick(700);
    let [Command::Snapshot { request: again }] = cmds[..] else { panic!("{cmds:?}") };
    assert_ne!(again, request);
    assert!(s.handle(Input::Snapshot { request, snapshot: snapshot(4) }, 710).is_empty(), "a late answer is ignored");
    let cmds = s.handle(Input::Snapshot { request: again, snapshot: snapshot(6) }, 720);
    assert_eq!(cmds, [Command::Repair { request: again, snapshot: snapshot(6) }]);
    // While the engine repairs, neither pulls nor events start anything.
    assert!(s.handle(Input::Event(change(vault, 7)), 730).is_empty());
    let (lost, _) = item(false);
    let cmds = s.handle(Input::Repaired { request: again, outbox: vec![lost] }, 740);
    assert_eq!(cmds[0], Command::SaveSeq(6));
    assert!(matches!(cmds[1], Command::Pull { since: 6, .. }), "the event heard during the repair: {cmds:?}");
    assert_eq!(s.applied_seq(), 6);
    assert_eq!(s.last_repair(), Some(740));
    assert!(!s.is_repairing());
    assert_eq!(pushes(&s.tick(840)), vec![vec![lost]], "what the server lost is pushed again");
}

#[test]
fn a_failed_repair_is_reported_and_retried_and_a_restart_detects_the_same() {
    let vault = VaultId::new();
    let mut s = VaultSync::new(vault, 10, config());
    let cmds = s.handle(Input::Connected { latest_seq: 2 }, 0);
    let [Command::Snapshot { request }] = cmds[..] else { panic!("{cmds:?}") };
    s.handle(Input::Snapshot { request, snapshot: snapshot(2) }, 10);
    assert!(s.handle(Input::RepairFailed { request, reason: "offline".into() }, 20).is_empty());
    assert!(matches!(s.status(), SyncStatus::Error { .. }));
    assert!(matches!(s.tick(220)[..], [Command::Snapshot { .. }]));
    // Nothing was saved: a machine restarted from the stored seq repairs too.
    let mut restarted = VaultSync::new(vault, 10, config());
    assert!(matches!(restarted.handle(Input::Connected { latest_seq: 2 }, 0)[..], [Command::Snapshot { .. }]));
}

#[test]
fn a_server_that_comes_back_behind_a_seq_we_heard_of_is_repaired() {
    let vault = VaultId::new();
    let mut s = online(vault, 0);
    s.handle(Input::Event(change(vault, 1)), 10);
    s.handle(Input::Event(change(vault, 3)), 20);
    s.handle(Input::Disconnected, 30);
    let cmds = s.handle(Input::Connected { latest_seq: 2 }, 40);
    assert!(matches!(cmds[..], [Command::Snapshot { .. }]), "{cmds:?}");
}

#[test]
fn a_connected_vault_is_repaired_every_repair_ms_anyway() {
    let vault = VaultId::new();
    let s = online(vault, 0);
    assert_eq!(s.next_wake(), Some(60_000), "the poll comes first");
    let mut s = VaultSync::new(vault, 0, SyncConfig { repair_ms: 5_000, ..config() });
    let cmds = s.handle(Input::Connected { latest_seq: 0 }, 1_000);
    let Some(Command::Pull { request, .. }) = cmds.first().cloned() else { panic!("{cmds:?}") };
    s.handle(Input::Page { request, page: page(vec![], 0) }, 1_000);
    assert!(s.is_settled());
    assert_eq!(s.next_wake(), Some(6_000));
    let cmds = s.tick(6_000);
    let [Command::Snapshot { request }] = cmds[..] else { panic!("{cmds:?}") };
    s.handle(Input::Snapshot { request, snapshot: snapshot(0) }, 6_010);
    s.handle(Input::Repaired { request, outbox: vec![] }, 6_020);
    assert!(s.is_settled());
    assert_eq!(s.next_wake(), Some(11_020));
}

#[test]
fn offline_nothing_is_sent_and_reconnecting_resumes() {
    let vault = VaultId::new();
    let mut s = VaultSync::new(vault, 0, config());
    let (a, _) = item(false);
    assert!(s.handle(Input::Outbox(vec![a]), 0).is_empty());
    assert!(s.tick(5_000).is_empty());
    assert_eq!(s.status(), SyncStatus::Offline);
    let cmds = s.handle(Input::Connected { latest_seq: 0 }, 5_000);
    assert_eq!(pushes(&cmds), vec![vec![a]]);
    s.handle(Input::Disconnected, 5_010);
    let cmds = s.handle(Input::Connected { latest_seq: 0 }, 5_020);
    assert!(pushes(&cmds).is_empty(), "rate limited: at most one push per 50 ms");
    assert_eq!(pushes(&s.tick(5_050)), vec![vec![a]], "the abandoned push is sent again after reconnecting");
}
