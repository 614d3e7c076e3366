//! A clock that moves only when told to, for tests.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::{Clock, Instant};
use crate::bounds::BoxFuture;

/// A clock for tests: time stands still until [`advance`](Self::advance) moves it, and then
/// every sleeper whose deadline has come is woken. Clones share the same time and sleepers.
///
/// Only `std` and `futures`-style wakers are used, so it works natively (on any executor) and in
/// wasm alike. Inject it with [`ClientBuilder::clock`](crate::ClientBuilder::clock) or
/// [`EngineConfig::clock`](crate::engine::EngineConfig::clock); keep a clone to advance it.
///
/// ```
/// use localful_worker::session::{Clock, Instant, ManualClock};
/// use std::time::Duration;
///
/// let clock = ManualClock::new();
/// let sleep = clock.sleep_until(Instant::from_millis(100));
/// assert_eq!(clock.deadlines(), vec![Instant::from_millis(100)]);
/// clock.advance(Duration::from_millis(99));
/// assert_eq!(clock.now(), Instant::from_millis(99));
/// clock.advance(Duration::from_millis(1));
/// futures::executor::block_on(sleep); // due: resolves at once
/// assert!(clock.deadlines().is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    now: Instant,
    next_id: u64,
    /// Sleepers not yet resolved nor dropped, by id: their deadline and the waker of their
    /// last poll.
    sleepers: BTreeMap<u64, (Instant, Option<Waker>)>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A test that panicked while holding the lock has failed already: keep the state usable.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ManualClock {
    /// A clock at instant 0 with no sleepers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves time forward by `by` (whole milliseconds) and wakes every sleeper now due.
    pub fn advance(&self, by: Duration) {
        let wakers: Vec<Waker> = {
            let mut state = lock(&self.state);
            state.now = state.now + by;
            let now = state.now;
            state.sleepers.values_mut().filter(|(deadline, _)| *deadline <= now).filter_map(|(_, w)| w.take()).collect()
        };
        // Woken outside the lock: a waker may poll at once on some executors.
        for waker in wakers {
            waker.wake();
        }
    }

    /// The deadlines of every pending sleeper, earliest first: what the code under test waits for.
    pub fn deadlines(&self) -> Vec<Instant> {
        let mut deadlines: Vec<Instant> = lock(&self.state).sleepers.values().map(|(d, _)| *d).collect();
        deadlines.sort();
        deadlines
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        lock(&self.state).now
    }

    fn sleep_until(&self, deadline: Instant) -> BoxFuture<()> {
        let id = {
            let mut state = lock(&self.state);
            let id = state.next_id;
            state.next_id += 1;
            state.sleepers.insert(id, (deadline, None));
            id
        };
        Box::pin(ManualSleep { state: Arc::clone(&self.state), id, deadline })
    }
}

/// One sleeper of a [`ManualClock`]; dropping it forgets it.
struct ManualSleep {
    state: Arc<Mutex<State>>,
    id: u64,
    deadline: Instant,
}

impl Future for ManualSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = lock(&self.state);
        if state.now >= self.deadline {
            state.sleepers.remove(&self.id);
            return Poll::Ready(());
        }
        state.sleepers.insert(self.id, (self.deadline, Some(cx.waker().clone())));
        Poll::Pending
    }
}

impl Drop for ManualSleep {
    fn drop(&mut self) {
        lock(&self.state).sleepers.remove(&self.id);
    }
}
