//! Native platform: tokio tasks and timers, `std::time::Instant`.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::session::{Clock, Instant};

/// `Send` natively, where the client runs on tokio's multi-threaded runtime; nothing in wasm.
pub trait MaybeSend: Send {}
impl<T: Send> MaybeSend for T {}

/// A boxed future that can move between threads.
pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// Runs a future in the background on the current tokio runtime.
pub(crate) fn spawn(future: impl Future<Output = ()> + Send + 'static) {
    tokio::spawn(future);
}

/// Waits for `duration`.
pub(crate) async fn sleep(duration: Duration) {
    tokio::time::sleep(duration).await;
}

/// A monotonic clock with its origin at creation.
#[derive(Debug, Clone)]
pub(crate) struct SystemClock(std::time::Instant);

impl SystemClock {
    pub(crate) fn new() -> Self {
        Self(std::time::Instant::now())
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::from_millis(u64::try_from(self.0.elapsed().as_millis()).unwrap_or(u64::MAX))
    }
}

/// A random seed for the backoff jitter.
pub(crate) fn random_seed() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    })
}
