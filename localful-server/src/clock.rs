//! The time that decides behaviour: token, session and ticket expiry, the `refresh-ticket`
//! schedule and the rate limiter's windows all read a [`Clock`], so tests can move time exactly.
//!
//! Timestamps that only record when something happened (`createdAt`, `updatedAt`, `revokedAt`,
//! the connect time that orders sockets across processes) stay on the wall clock.

use chrono::{DateTime, Utc};
use std::{future::Future, pin::Pin, sync::Arc, time::Duration};
use tokio::sync::watch;

/// A future that resolves when a clock reaches a given time.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// A source of the current time, and of timers on that time.
pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch (UTC).
    fn now_millis(&self) -> i64;

    /// Resolves once [`now_millis`](Clock::now_millis) has reached `at_millis` (at once if it
    /// already has).
    fn sleep_until(&self, at_millis: i64) -> Sleep;

    /// The current time as a date.
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_millis()).unwrap_or_default()
    }
}

/// The wall clock and tokio's timers: what the server uses unless told otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> i64 {
        Utc::now().timestamp_millis()
    }

    fn sleep_until(&self, at_millis: i64) -> Sleep {
        let wait = u64::try_from(at_millis.saturating_sub(self.now_millis())).unwrap_or(0);
        Box::pin(tokio::time::sleep(Duration::from_millis(wait)))
    }
}

/// A clock that moves only when told to; clones share one time. For tests: hand a clone to
/// [`Server::bind_with_clock`](crate::Server::bind_with_clock), keep one, and
/// [`advance`](ManualClock::advance) it past a lifetime instead of sleeping through it.
///
/// ```
/// use localful_server::{Clock, ManualClock};
/// use std::time::Duration;
///
/// let clock = ManualClock::new(1_000);
/// clock.advance(Duration::from_millis(500));
/// assert_eq!(clock.now_millis(), 1_500);
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<watch::Sender<i64>>,
}

impl ManualClock {
    /// A clock standing at `start_millis` (milliseconds since the Unix epoch).
    pub fn new(start_millis: i64) -> Self {
        Self { now: Arc::new(watch::Sender::new(start_millis)) }
    }

    /// A clock standing at the current wall-clock time, on a whole second (so that a token's
    /// `exp`, which is in seconds, and its session's expiry in milliseconds coincide).
    pub fn at_current_second() -> Self {
        Self::new(Utc::now().timestamp() * 1000)
    }

    /// Moves the clock forward by `by`, waking the timers it reaches.
    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.now.send_modify(|now| *now = now.saturating_add(by));
    }

    /// Sets the clock to `at_millis` (backwards too), waking the timers it reaches.
    pub fn set(&self, at_millis: i64) {
        self.now.send_replace(at_millis);
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> i64 {
        *self.now.borrow()
    }

    fn sleep_until(&self, at_millis: i64) -> Sleep {
        let mut now = self.now.subscribe();
        Box::pin(async move {
            // The sender lives as long as any clone of this clock: if all are gone, time stops.
            if now.wait_for(|now| *now >= at_millis).await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use futures::FutureExt as _;

    #[tokio::test]
    async fn a_manual_clock_wakes_its_timers_when_advanced_past_them() {
        let clock = ManualClock::new(10_000);
        let mut at_12 = clock.sleep_until(12_000);
        assert!((&mut at_12).now_or_never().is_none());
        clock.advance(Duration::from_millis(1_999));
        assert!((&mut at_12).now_or_never().is_none(), "woke a millisecond early");
        clock.advance(Duration::from_millis(1));
        tokio::time::timeout(Duration::from_secs(10), at_12).await.expect("woken at its time");
        assert!(clock.sleep_until(11_000).now_or_never().is_some(), "a past time is reached at once");
        assert_eq!(clock.clone().now().timestamp_millis(), 12_000);
        clock.set(5);
        assert_eq!(clock.now_millis(), 5);
    }
}
