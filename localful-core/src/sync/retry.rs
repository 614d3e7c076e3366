//! Capped exponential backoff, deterministic (the socket reconnect adds jitter; retries of one
//! vault's requests need none).

/// The retry state of one kind of request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Retry {
    /// Consecutive failures.
    pub failures: u32,
    /// No new attempt before this time.
    pub not_before: u64,
}

impl Retry {
    /// Records a failure at `now`: the next attempt waits `base · 2^(failures-1)`, at most `cap`.
    pub fn fail(&mut self, now: u64, base: u64, cap: u64) {
        self.failures = self.failures.saturating_add(1);
        let shift = self.failures.saturating_sub(1).min(30);
        let delay = base.saturating_mul(1u64 << shift).min(cap);
        self.not_before = now.saturating_add(delay);
    }

    /// Records a success: the next attempt may go at once.
    pub fn succeed(&mut self) {
        *self = Self::default();
    }

    /// Forgets the wait (the connection came back) but keeps counting failures.
    pub fn wake(&mut self) {
        self.not_before = 0;
    }

    /// Whether an attempt may start at `now`.
    pub fn ready(&self, now: u64) -> bool {
        now >= self.not_before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_to_the_cap_and_resets() {
        let mut r = Retry::default();
        let waits: Vec<u64> = (0..6)
            .map(|_| {
                r.fail(100, 1_000, 5_000);
                r.not_before - 100
            })
            .collect();
        assert_eq!(waits, [1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
        assert!(!r.ready(200));
        r.succeed();
        assert!(r.ready(0));
    }
}
