//! Time for the hooks: the current time and one-shot timers, behind [`Clock`] so tests can drive
//! them exactly with a [`ManualClock`] instead of waiting on the wall clock.
//!
//! A provider uses [`SystemClock`] unless [`LocalfulConfig::with_clock`](crate::LocalfulConfig::with_clock)
//! gives it another.

mod manual;
mod system;

pub use manual::ManualClock;
pub use system::SystemClock;

use std::fmt;

/// A source of time and one-shot timers. Single-threaded, like everything in a browser context.
pub trait Clock: fmt::Debug {
    /// The current time in milliseconds; the origin is the clock's own, only differences matter.
    fn now_ms(&self) -> i64;

    /// Calls `callback` once, `delay_ms` milliseconds from now, unless the returned [`Timer`] is
    /// dropped first.
    fn set_timeout(&self, delay_ms: u32, callback: Box<dyn FnOnce()>) -> Timer;
}

/// A pending timer of a [`Clock`]; dropping it cancels the callback if it has not run yet.
#[must_use = "dropping a Timer cancels it"]
pub struct Timer {
    cancel: Option<Box<dyn FnOnce()>>,
}

impl Timer {
    /// A timer that `cancel` stops (for [`Clock`] implementations; it is called once, on drop).
    pub fn new(cancel: impl FnOnce() + 'static) -> Self {
        Self { cancel: Some(Box::new(cancel)) }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel();
        }
    }
}

impl fmt::Debug for Timer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timer").finish_non_exhaustive()
    }
}

/// Completes `delay_ms` milliseconds from now on `clock` (a [`Clock::set_timeout`] as a future).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) async fn sleep(clock: &dyn Clock, delay_ms: u32) {
    let (done, fired) = futures::channel::oneshot::channel();
    let _timer = clock.set_timeout(delay_ms, Box::new(move || {
        // The receiver is gone only if the wait was dropped: nobody to tell.
        let _ = done.send(());
    }));
    // An error means the clock dropped the timer unfired (the clock is gone): stop waiting too.
    let _ = fired.await;
}
