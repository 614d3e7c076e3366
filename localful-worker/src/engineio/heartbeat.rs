//! The heartbeat deadline: the server pings, we answer; if no ping arrives within
//! `pingInterval + pingTimeout` of the last one, the connection is dead.
//!
//! The deadline is an instant compared with a clock, not a timer: a background tab may throttle
//! timers for minutes, and a late timer must still see that the deadline has passed.

use std::time::Duration;

use crate::session::Instant;

/// The deadline by which the next server ping must arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heartbeat {
    window: Duration,
    deadline: Instant,
}

impl Heartbeat {
    /// Starts the heartbeat at `now` (the open packet arrived) with the given window.
    pub fn start(now: Instant, window: Duration) -> Self {
        Self { window, deadline: now + window }
    }

    /// A ping arrived at `now`: the deadline moves.
    pub fn ping(&mut self, now: Instant) {
        self.deadline = now + self.window;
    }

    /// The instant at which the connection is declared dead.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the deadline has passed at `now`.
    pub fn expired(&self, now: Instant) -> bool {
        now >= self.deadline
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_ping_moves_the_deadline() {
        let t0 = Instant::from_millis(1_000);
        let mut hb = Heartbeat::start(t0, Duration::from_millis(500));
        assert!(!hb.expired(Instant::from_millis(1_499)));
        hb.ping(Instant::from_millis(1_400));
        assert!(!hb.expired(Instant::from_millis(1_899)));
        assert!(hb.expired(Instant::from_millis(1_900)));
    }
}
