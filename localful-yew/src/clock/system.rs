//! The browser's clock: `Date.now()` (as [`Timestamp::now`]) and `setTimeout`.

use super::{Clock, Timer};
use gloo::timers::callback::Timeout;
use localful_core::Timestamp;

/// The real clock, used unless a configuration sets another: [`Timestamp::now`] for the time and
/// the global `setTimeout` for timers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        Timestamp::now().unix_millis()
    }

    fn set_timeout(&self, delay_ms: u32, callback: Box<dyn FnOnce()>) -> Timer {
        let timeout = Timeout::new(delay_ms, callback);
        // Dropping a gloo `Timeout` clears it.
        Timer::new(move || drop(timeout))
    }
}
