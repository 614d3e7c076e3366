//! Time as the pure state machine sees it: instants handed in by the caller, read from a [`Clock`].

use std::ops::Add;
use std::sync::Arc;
use std::time::Duration;

use crate::bounds::{BoxFuture, MaybeSend, MaybeSync};

/// A point in time, in milliseconds since an arbitrary origin of the clock that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

impl Instant {
    /// The instant `ms` milliseconds after the clock's origin.
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }

    /// Milliseconds since the clock's origin.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// The time from `earlier` to `self`, zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;

    fn add(self, rhs: Duration) -> Instant {
        let ms = u64::try_from(rhs.as_millis()).unwrap_or(u64::MAX);
        Instant(self.0.saturating_add(ms))
    }
}

/// A monotonic clock and its timers: every deadline that decides behaviour (heartbeat, backoff,
/// ack timeouts, the engine's debounce, retries and polls) is read and waited for through one.
///
/// [`SystemClock`](super::SystemClock) is the default everywhere; tests inject a
/// [`ManualClock`](super::ManualClock) ([`ClientBuilder::clock`](crate::ClientBuilder::clock),
/// [`EngineConfig::clock`](crate::engine::EngineConfig::clock)). IO limits (how long closing a
/// WebSocket may take) stay on the real clock, so a clock standing still never hangs IO.
pub trait Clock: MaybeSend + MaybeSync {
    /// The current instant.
    fn now(&self) -> Instant;

    /// Resolves once [`now`](Self::now) has reached `deadline` (at once if it has already).
    fn sleep_until(&self, deadline: Instant) -> BoxFuture<()>;
}

/// A clock shared by the parts that read it (the socket's task and the engine).
pub type SharedClock = Arc<dyn Clock>;

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> Instant {
        (**self).now()
    }

    fn sleep_until(&self, deadline: Instant) -> BoxFuture<()> {
        (**self).sleep_until(deadline)
    }
}
