//! Native platform: tokio tasks and timers, `std::time::Instant`.

use std::future::Future;
use std::time::Duration;

use crate::bounds::BoxFuture;
use crate::session::{Clock, Instant};

/// Runs a future in the background on the current tokio runtime.
pub(crate) fn spawn(future: impl Future<Output = ()> + Send + 'static) {
    tokio::spawn(future);
}

/// Waits for `duration`. Only for IO limits: behaviour deadlines go through a [`Clock`].
pub(crate) async fn sleep(duration: Duration) {
    tokio::time::sleep(duration).await;
}

/// The clock of the machine: monotonic, with its origin at creation; its timers are tokio's.
#[derive(Debug, Clone)]
pub struct SystemClock(std::time::Instant);

impl SystemClock {
    /// The clock (natively: with its origin now).
    pub fn new() -> Self {
        Self(std::time::Instant::now())
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::from_millis(u64::try_from(self.0.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    fn sleep_until(&self, deadline: Instant) -> BoxFuture<()> {
        Box::pin(tokio::time::sleep(deadline.saturating_duration_since(self.now())))
    }
}

/// A random seed for the backoff jitter.
pub(crate) fn random_seed() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    })
}

/// Whether there is a network: natively the socket's own failures tell.
pub(crate) fn network_available() -> bool {
    true
}

/// The origin of the page this runs in: natively there is none.
pub(crate) fn page_origin() -> Option<String> {
    None
}
