//! The bound on password hashing. An argon2id hash holds its whole memory cost (19 MiB by
//! default) while it runs; without a bound, a burst of logins holds that many times over. The
//! gate lets at most `running` hashes run at once and at most `queued` more requests wait their
//! turn (in arrival order: tokio's semaphores are fair), each for at most `wait` on the server's
//! clock. Any other request is refused with `503 system-busy` and a `Retry-After`, so memory
//! stays bounded whatever the login rate.
//!
//! Hashes run on a pool of exactly `running` threads of their own, not on tokio's blocking pool:
//! there a finished hash's thread is not yet idle when the next hash is handed over, so a burst
//! starts new threads, and every thread's allocator arena keeps the memory it last freed — the
//! process then grows with the number of logins, not with the bound. A fixed thread keeps one
//! hash's memory and reuses it (see `password.rs`).

use crate::{
    clock::Clock,
    error::{AppError, ErrorKind, seconds},
};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

/// Admits password hashes: `running` at once, `queued` more waiting; cheap to clone (clones share
/// the bound).
#[derive(Clone)]
pub(crate) struct HashGate {
    /// One permit per hash that may run now.
    running: Arc<Semaphore>,
    /// One permit per request inside the gate, running or waiting: `running + queued`.
    admitted: Arc<Semaphore>,
    wait_millis: i64,
    clock: Arc<dyn Clock>,
    /// The `running` threads hashes run on.
    pool: Arc<rayon_core::ThreadPool>,
}

/// The right to run one hash; the gate admits the next request once it is dropped. It moves with
/// the hash onto its thread, so that a request given up by its client still counts until its hash
/// ends.
#[derive(Debug)]
pub(crate) struct HashPermit {
    _running: OwnedSemaphorePermit,
    _admitted: OwnedSemaphorePermit,
}

impl HashGate {
    /// A gate for `running` concurrent hashes (at least 1, at most 1024) and `queued` waiting
    /// requests, each waiting at most `wait_secs` on `clock`; starts the `running` threads.
    pub(crate) fn new(
        running: usize,
        queued: usize,
        wait_secs: u64,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, rayon_core::ThreadPoolBuildError> {
        let running = running.clamp(1, 1024);
        let admitted = running.saturating_add(queued.min(Semaphore::MAX_PERMITS / 2));
        let wait_millis = i64::try_from(wait_secs.min(86_400).saturating_mul(1000)).unwrap_or(i64::MAX);
        let pool = rayon_core::ThreadPoolBuilder::new().num_threads(running).thread_name(|i| format!("localful-hash-{i}")).build()?;
        Ok(Self {
            running: Arc::new(Semaphore::new(running)),
            admitted: Arc::new(Semaphore::new(admitted)),
            wait_millis,
            clock,
            pool: Arc::new(pool),
        })
    }

    /// Runs `work` (a hash) on the gate's threads once it is this request's turn: `system-busy`
    /// if the turn does not come (see [`enter`](Self::enter)).
    pub(crate) async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> Result<T, AppError> + Send + 'static) -> Result<T, AppError> {
        let turn = self.enter().await?;
        let (done, result) = oneshot::channel();
        self.pool.spawn(move || {
            // The turn is held until the hash ends, even if the request was given up meanwhile,
            // and given back before the result is: whoever sees the result finds the place free.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            drop(turn);
            let _ = done.send(outcome.unwrap_or_else(|_| Err(AppError::unexpected("a password hash panicked"))));
        });
        result.await.map_err(|_| AppError::unexpected("a password hash ended without a result"))?
    }

    /// Waits for a turn to hash: `system-busy` at once when the queue is full, or once the wait
    /// has lasted its limit.
    pub(crate) async fn enter(&self) -> Result<HashPermit, AppError> {
        let Ok(admitted) = self.admitted.clone().try_acquire_owned() else {
            return Err(self.busy("queue full"));
        };
        let deadline = self.clock.now_millis().saturating_add(self.wait_millis);
        tokio::select! {
            // A turn that came at the deadline is taken.
            biased;
            running = self.running.clone().acquire_owned() => match running {
                Ok(running) => Ok(HashPermit { _running: running, _admitted: admitted }),
                // The semaphore is never closed; if it were, no hash could run.
                Err(closed) => Err(AppError::unexpected(closed)),
            },
            () = self.clock.sleep_until(deadline) => Err(self.busy("waited too long")),
        }
    }

    /// Seconds after which a retry finds room: by then every request waiting now was served or
    /// refused.
    fn retry_after_secs(&self) -> u64 {
        u64::try_from(self.wait_millis).unwrap_or(0).div_ceil(1000).max(1)
    }

    fn busy(&self, why: &'static str) -> AppError {
        let secs = self.retry_after_secs();
        tracing::info!(why, "password hashing at its bound; request refused");
        AppError::new(ErrorKind::SystemBusy, format!("The server is busy checking other passwords; try again in {}", seconds(secs)))
            .with_retry_after(secs)
    }

    /// Places left inside the gate (running or waiting): tests wait on it to know a request is
    /// queued.
    #[cfg(test)]
    pub(crate) fn places_left(&self) -> usize {
        self.admitted.available_permits()
    }

    /// Takes every turn to run, as long running hashes would: tests then queue requests behind
    /// them and release them when they choose.
    #[cfg(test)]
    pub(crate) async fn occupy(&self) -> OwnedSemaphorePermit {
        let all = u32::try_from(self.running.available_permits()).unwrap_or(u32::MAX);
        match self.running.clone().acquire_many_owned(all).await {
            Ok(permit) => permit,
            Err(closed) => panic!("the gate's semaphore closed: {closed}"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ManualClock;
    use futures::FutureExt as _;
    use std::time::Duration;

    fn refused(r: Option<Result<HashPermit, AppError>>) -> Option<(ErrorKind, Option<u64>)> {
        match r {
            Some(Err(e)) => Some((e.kind, e.retry_after_secs)),
            _ => None,
        }
    }

    #[tokio::test]
    async fn runs_a_bounded_number_queues_a_bounded_number_in_order_and_refuses_the_rest_at_once() {
        let gate = HashGate::new(2, 1, 7, Arc::new(ManualClock::new(0))).unwrap();
        let first = gate.enter().await.unwrap();
        let second = gate.enter().await.unwrap();
        let mut third = Box::pin(gate.enter());
        assert!((&mut third).now_or_never().is_none(), "a third hash waits for a turn");
        let fourth = gate.enter().now_or_never();
        assert_eq!(refused(fourth), Some((ErrorKind::SystemBusy, Some(7))), "the queue (one place) is full");
        drop(second);
        let third = (&mut third).now_or_never().expect("the waiting request runs once a hash ends").unwrap();
        let mut fifth = Box::pin(gate.enter());
        assert!((&mut fifth).now_or_never().is_none(), "a place in the queue freed with the hash that ended");
        drop((first, third));
        assert!(fifth.now_or_never().is_some_and(|r| r.is_ok()));
        assert_eq!(gate.places_left(), 3, "every place is free again");
    }

    #[tokio::test]
    async fn a_request_waits_at_most_its_limit_on_the_servers_clock() {
        let clock = ManualClock::new(1_000);
        let gate = HashGate::new(1, 4, 3, Arc::new(clock.clone())).unwrap();
        let running = gate.enter().await.unwrap();
        let mut waiting = Box::pin(gate.enter());
        assert!((&mut waiting).now_or_never().is_none());
        clock.advance(Duration::from_millis(2_999));
        assert!((&mut waiting).now_or_never().is_none(), "refused a millisecond early");
        clock.advance(Duration::from_millis(1));
        let r = tokio::time::timeout(Duration::from_secs(10), waiting).await.expect("woken at its deadline");
        assert_eq!(refused(Some(r)), Some((ErrorKind::SystemBusy, Some(3))));
        assert_eq!(gate.places_left(), 4, "the refused request left the queue");
        drop(running);
        assert!(gate.enter().now_or_never().is_some_and(|r| r.is_ok()));
    }

    #[tokio::test]
    async fn hashes_run_on_the_gates_own_threads_and_a_panic_frees_its_turn() {
        let gate = HashGate::new(2, 0, 1, Arc::new(ManualClock::new(0))).unwrap();
        let name = gate.run(|| Ok(std::thread::current().name().map(str::to_string))).await.unwrap();
        assert!(name.is_some_and(|n| n.starts_with("localful-hash-")));
        let panicked = gate.run::<()>(|| panic!("a hash that panics")).await;
        assert_eq!(panicked.err().map(|e| e.kind), Some(ErrorKind::SystemUnexpected));
        assert_eq!(gate.places_left(), 2, "the panicked hash gave its turn back");
    }

    #[test]
    fn a_gate_has_room_for_at_least_one_hash() {
        let gate = HashGate::new(0, 0, 0, Arc::new(ManualClock::new(0))).unwrap();
        assert_eq!(gate.places_left(), 1);
        assert_eq!(gate.retry_after_secs(), 1, "Retry-After is never 0");
    }
}
