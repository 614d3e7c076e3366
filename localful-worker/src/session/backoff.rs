//! Reconnection delays: exponential backoff with jitter, computed like the official client
//! (`backo2`: `min · factorⁿ`, ±`jitter`, capped at `max`).

use std::time::Duration;

/// Backoff parameters. The default is the official client's: 1 s doubling to 5 s, ±50 %.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The first delay before jitter.
    pub min: Duration,
    /// The cap, applied after jitter.
    pub max: Duration,
    /// The growth factor per attempt.
    pub factor: u32,
    /// The relative jitter in `[0, 1]`.
    pub jitter: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { min: Duration::from_millis(1000), max: Duration::from_millis(5000), factor: 2, jitter: 0.5 }
    }
}

impl Backoff {
    /// The delay before reconnection attempt `attempt` (0 for the first), given a uniform random
    /// number `rand` in `[0, 1)`.
    pub fn delay(&self, attempt: u32, rand: f64) -> Duration {
        let min = self.min.as_millis() as f64;
        let max = self.max.as_millis() as f64;
        let mut ms = min * f64::from(self.factor).powi(attempt.min(64) as i32);
        if self.jitter > 0.0 {
            let rand = rand.clamp(0.0, 1.0);
            let deviation = (rand * self.jitter * ms).floor();
            ms = if ((rand * 10.0).floor() as u64) & 1 == 0 { ms - deviation } else { ms + deviation };
        }
        let ms = ms.min(max).max(0.0);
        Duration::from_millis(ms as u64)
    }
}

/// A small deterministic generator (xorshift64*) for jitter, seeded by the runtime.
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    /// A generator from a seed (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }

    /// The next number in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_one_second_to_the_cap() {
        let b = Backoff { jitter: 0.0, ..Backoff::default() };
        let delays: Vec<u64> = (0..5).map(|n| b.delay(n, 0.3).as_millis() as u64).collect();
        assert_eq!(delays, vec![1000, 2000, 4000, 5000, 5000]);
    }

    #[test]
    fn jitter_is_plus_or_minus_half_like_backo2() {
        let b = Backoff::default();
        // rand 0.25: floor(2.5) = 2 is even → minus floor(0.25·0.5·1000) = 125
        assert_eq!(b.delay(0, 0.25), Duration::from_millis(875));
        // rand 0.35: floor(3.5) = 3 is odd → plus 175
        assert_eq!(b.delay(0, 0.35), Duration::from_millis(1175));
        assert_eq!(b.delay(1, 0.35), Duration::from_millis(2350));
        // capped after jitter
        assert_eq!(b.delay(2, 0.99), Duration::from_millis(5000));
        let mut j = Jitter::new(7);
        for n in 0..20 {
            let d = b.delay(n, j.next_f64()).as_millis();
            assert!((500..=5000).contains(&d), "{d}");
        }
    }

    #[test]
    fn jitter_stays_in_range() {
        let mut j = Jitter::new(0);
        for _ in 0..1000 {
            let x = j.next_f64();
            assert!((0.0..1.0).contains(&x));
        }
    }
}
