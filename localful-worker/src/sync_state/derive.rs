//! [`derive`]: the one place where the session, the connection, the vaults' status, the network
//! and the outbox become what tabs show.

use super::{AuthState, Link, SyncPhase, SyncState};
use crate::session::Instant;
use localful_core::sync::SyncStatus;
use localful_core::{Timestamp, VaultId};

/// What the worker knows, at one moment.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// The session.
    pub auth: &'a AuthState,
    /// The sync socket.
    pub link: &'a Link,
    /// The status of the vaults the engine syncs, together.
    pub vaults: &'a SyncStatus,
    /// Changes not yet acknowledged by the server, over those vaults.
    pub pending: u64,
    /// Those vaults (sorted): the ones the engine syncs.
    pub covered: &'a [VaultId],
    /// Whether the browser says it has a network (`navigator.onLine` in the worker).
    pub network: bool,
    /// Now, on the engine's clock (the one [`Link::Retrying`] is on).
    pub now: Instant,
    /// Now, in UTC (what [`SyncState::last_synced`] records).
    pub wall: Timestamp,
}

/// The state tabs show, from what the worker knows and the state shown before (which carries the
/// last-synced time).
///
/// - No session: `SignedOut` or `Expired`, whatever the socket does.
/// - A connected socket is the truth about the network: the vaults' status decides (an error,
///   sending while changes wait, receiving, up to date — never up to date with changes waiting).
/// - A socket not connected: `Offline` when the browser has no network, else `Unreachable` with
///   the time to the next attempt — unless the server refused it (`Error`), or this is the first
///   attempt (`Connecting`).
pub fn derive(previous: &SyncState, inputs: &Inputs<'_>) -> SyncState {
    let phase = phase(inputs);
    let was_up_to_date = previous.phase == SyncPhase::UpToDate;
    let is_up_to_date = phase == SyncPhase::UpToDate;
    let last_synced = if was_up_to_date != is_up_to_date { Some(inputs.wall) } else { previous.last_synced };
    SyncState { phase, pending: inputs.pending, last_synced, vaults: inputs.covered.to_vec() }
}

fn phase(inputs: &Inputs<'_>) -> SyncPhase {
    match inputs.auth {
        AuthState::LoggedIn { .. } => {}
        AuthState::LoggedOut => return SyncPhase::SignedOut,
        AuthState::Expired => return SyncPhase::Expired,
        _ => return SyncPhase::Starting,
    }
    let unreachable = |retry_in_ms| {
        if inputs.network { SyncPhase::Unreachable { retry_in_ms } } else { SyncPhase::Offline }
    };
    match inputs.link {
        Link::Connected => connected(inputs.vaults, inputs.pending),
        Link::Refused(error) => SyncPhase::Error { error: error.clone() },
        Link::Retrying { at } => {
            unreachable(Some(at.saturating_duration_since(inputs.now).as_millis().try_into().unwrap_or(u64::MAX)))
        }
        Link::Connecting { attempt } if *attempt > 0 => unreachable(None),
        Link::Connecting { .. } | Link::Stopped if inputs.network => SyncPhase::Connecting,
        Link::Connecting { .. } | Link::Stopped => SyncPhase::Offline,
    }
}

fn connected(vaults: &SyncStatus, pending: u64) -> SyncPhase {
    match vaults {
        SyncStatus::Error { error } => SyncPhase::Error { error: error.clone() },
        _ if pending > 0 => SyncPhase::Sending,
        SyncStatus::Syncing { done, total } => SyncPhase::Receiving { done: *done, total: *total },
        SyncStatus::Idle => SyncPhase::UpToDate,
        // A vault not subscribed yet.
        _ => SyncPhase::Connecting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use localful_core::sync::SyncError;
    use localful_core::wire::ErrorKind;

    fn wall(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(1_800_000_000_000 + ms).expect("a time in range")
    }

    fn user() -> AuthState {
        AuthState::LoggedIn { user: None }
    }

    fn state(auth: &AuthState, link: &Link, vaults: &SyncStatus, pending: u64, network: bool) -> SyncState {
        let inputs =
            Inputs { auth, link, vaults, pending, covered: &[], network, now: Instant::from_millis(10_000), wall: wall(0) };
        derive(&SyncState::default(), &inputs)
    }

    fn refused() -> SyncError {
        SyncError::OriginRefused { origin: Some("http://a.test".into()) }
    }

    fn refused_changes() -> SyncError {
        SyncError::ChangesRefused { count: 1, kind: ErrorKind::LimitExceeded }
    }

    fn every_auth() -> Vec<AuthState> {
        vec![AuthState::Unknown, AuthState::LoggedOut, AuthState::Expired, user()]
    }

    fn every_link() -> Vec<Link> {
        vec![
            Link::Stopped,
            Link::Connecting { attempt: 0 },
            Link::Connecting { attempt: 3 },
            Link::Connected,
            Link::Retrying { at: Instant::from_millis(12_500) },
            Link::Retrying { at: Instant::from_millis(9_000) },
            Link::Refused(refused()),
        ]
    }

    fn every_status() -> Vec<SyncStatus> {
        vec![
            SyncStatus::Offline,
            SyncStatus::Connecting,
            SyncStatus::Syncing { done: 1, total: 4 },
            SyncStatus::Idle,
            SyncStatus::Error { error: refused_changes() },
        ]
    }

    #[test]
    fn no_combination_contradicts_itself() {
        for auth in every_auth() {
            for link in every_link() {
                for vaults in every_status() {
                    for pending in [0, 3] {
                        for network in [true, false] {
                            let s = state(&auth, &link, &vaults, pending, network);
                            let case = format!("{auth:?} {link:?} {vaults:?} {pending} {network} -> {:?}", s.phase);
                            assert_eq!(s.pending, pending, "{case}");
                            // The session decides first.
                            assert_eq!(s.phase == SyncPhase::SignedOut, auth == AuthState::LoggedOut, "{case}");
                            assert_eq!(s.phase == SyncPhase::Expired, auth == AuthState::Expired, "{case}");
                            assert_eq!(s.phase == SyncPhase::Starting, auth == AuthState::Unknown, "{case}");
                            // Never up to date (nor receiving only) with changes waiting.
                            if pending > 0 {
                                assert!(
                                    !matches!(s.phase, SyncPhase::UpToDate | SyncPhase::Receiving { .. }),
                                    "{case}"
                                );
                            }
                            // Up to date, sending and receiving only over a connected socket.
                            if matches!(s.phase, SyncPhase::UpToDate | SyncPhase::Sending | SyncPhase::Receiving { .. })
                            {
                                assert_eq!(link, Link::Connected, "{case}");
                            }
                            // A connected socket is never offline or unreachable, whatever
                            // `navigator.onLine` says.
                            if link == Link::Connected {
                                assert!(
                                    !matches!(s.phase, SyncPhase::Offline | SyncPhase::Unreachable { .. }),
                                    "{case}"
                                );
                            }
                            // Offline only without network; unreachable only with it.
                            if s.phase == SyncPhase::Offline {
                                assert!(!network, "{case}");
                            }
                            if matches!(s.phase, SyncPhase::Unreachable { .. }) {
                                assert!(network, "{case}");
                            }
                            // An error is shown exactly when there is one and a session.
                            let error = match (&link, &vaults) {
                                (Link::Refused(e), _) | (Link::Connected, SyncStatus::Error { error: e }) => {
                                    Some(e.clone())
                                }
                                _ => None,
                            };
                            let shown = match &s.phase {
                                SyncPhase::Error { error } => Some(error.clone()),
                                _ => None,
                            };
                            assert_eq!(shown, error.filter(|_| auth == user()), "{case}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn each_state_from_its_inputs() {
        let connected = Link::Connected;
        assert_eq!(state(&user(), &connected, &SyncStatus::Idle, 0, true).phase, SyncPhase::UpToDate);
        assert_eq!(
            state(&user(), &connected, &SyncStatus::Idle, 0, false).phase,
            SyncPhase::UpToDate,
            "the socket works"
        );
        assert_eq!(
            state(&user(), &connected, &SyncStatus::Syncing { done: 0, total: 3 }, 3, true).phase,
            SyncPhase::Sending
        );
        assert_eq!(
            state(&user(), &connected, &SyncStatus::Syncing { done: 2, total: 7 }, 0, true).phase,
            SyncPhase::Receiving { done: 2, total: 7 }
        );
        assert_eq!(state(&user(), &connected, &SyncStatus::Connecting, 0, true).phase, SyncPhase::Connecting);
        let retrying = Link::Retrying { at: Instant::from_millis(12_500) };
        assert_eq!(
            state(&user(), &retrying, &SyncStatus::Offline, 3, true).phase,
            SyncPhase::Unreachable { retry_in_ms: Some(2_500) }
        );
        let overdue = Link::Retrying { at: Instant::from_millis(9_000) };
        assert_eq!(
            state(&user(), &overdue, &SyncStatus::Offline, 0, true).phase,
            SyncPhase::Unreachable { retry_in_ms: Some(0) }
        );
        assert_eq!(state(&user(), &retrying, &SyncStatus::Offline, 3, false).phase, SyncPhase::Offline);
        let again = Link::Connecting { attempt: 2 };
        assert_eq!(
            state(&user(), &again, &SyncStatus::Offline, 0, true).phase,
            SyncPhase::Unreachable { retry_in_ms: None }
        );
        let first = Link::Connecting { attempt: 0 };
        assert_eq!(state(&user(), &first, &SyncStatus::Offline, 0, true).phase, SyncPhase::Connecting);
        assert_eq!(state(&user(), &first, &SyncStatus::Offline, 0, false).phase, SyncPhase::Offline);
        assert_eq!(
            state(&user(), &Link::Refused(refused()), &SyncStatus::Offline, 0, true).phase,
            SyncPhase::Error { error: refused() }
        );
        assert_eq!(
            state(&user(), &connected, &SyncStatus::Error { error: refused_changes() }, 1, true).phase,
            SyncPhase::Error { error: refused_changes() }
        );
        assert_eq!(state(&AuthState::Expired, &retrying, &SyncStatus::Offline, 0, true).phase, SyncPhase::Expired);
        assert_eq!(
            state(&AuthState::LoggedOut, &Link::Stopped, &SyncStatus::Offline, 0, true).phase,
            SyncPhase::SignedOut
        );
    }

    #[test]
    fn last_synced_is_when_up_to_date_began_then_when_it_ended() {
        let (auth, connected) = (user(), Link::Connected);
        let retrying = Link::Retrying { at: Instant::from_millis(20_000) };
        let step = |previous: &SyncState, ms, link: &Link, vaults: &SyncStatus, pending| {
            let inputs = Inputs {
                auth: &auth,
                link,
                vaults,
                pending,
                covered: &[],
                network: true,
                now: Instant::from_millis(10_000),
                wall: wall(ms),
            };
            derive(previous, &inputs)
        };
        let s = step(&SyncState::default(), 0, &connected, &SyncStatus::Syncing { done: 0, total: 2 }, 2);
        assert_eq!(s.last_synced, None, "never in sync yet");
        let s = step(&s, 1_000, &connected, &SyncStatus::Idle, 0);
        assert_eq!((s.phase.clone(), s.last_synced), (SyncPhase::UpToDate, Some(wall(1_000))));
        let s = step(&s, 5_000, &connected, &SyncStatus::Idle, 0);
        assert_eq!(s.last_synced, Some(wall(1_000)), "staying in sync changes nothing");
        let s = step(&s, 90_000, &retrying, &SyncStatus::Offline, 1);
        assert_eq!(s.last_synced, Some(wall(90_000)), "in sync until the connection was lost");
        let s = step(&s, 200_000, &retrying, &SyncStatus::Offline, 3);
        assert_eq!((s.pending, s.last_synced), (3, Some(wall(90_000))));
    }
}
