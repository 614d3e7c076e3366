//! A fixed-window attempt counter per (route, client IP), in memory.
//!
//! Each process counts on its own: with N processes behind a balancer a client gets up to N times
//! the limit. That bounds password guessing well enough for a self-hosted server.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
};

/// The length of one window, in milliseconds.
const WINDOW_MILLIS: i64 = 60_000;

/// Window start (clock milliseconds) and attempts per (route, IP).
type Windows = HashMap<(&'static str, IpAddr), (i64, u32)>;

/// Whether a window that started at `start` is still open at `now`. A clock set back before the
/// start (the wall clock can be) closes the window rather than stretching it.
fn open(start: i64, now: i64) -> bool {
    (0..WINDOW_MILLIS).contains(&now.saturating_sub(start))
}

/// Counts attempts per key within one-minute windows.
#[derive(Debug, Clone, Default)]
pub(crate) struct RateLimiter {
    windows: Arc<Mutex<Windows>>,
}

impl RateLimiter {
    /// Records one attempt at `now` (clock milliseconds). When `limit` attempts were already made
    /// in this window, refuses it with the milliseconds until the window ends.
    pub(crate) fn allow(&self, route: &'static str, ip: IpAddr, limit: u32, now: i64) -> Result<(), i64> {
        let Ok(mut map) = self.windows.lock() else { return Ok(()) };
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| open(*start, now));
        }
        let entry = map.entry((route, ip)).or_insert((now, 0));
        if !open(entry.0, now) {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        if entry.1 <= limit { Ok(()) } else { Err(entry.0.saturating_add(WINDOW_MILLIS).saturating_sub(now)) }
    }
}

#[cfg(test)]
mod tests {
    use super::RateLimiter;

    #[test]
    fn limits_per_route_and_ip_within_a_minute() {
        let r = RateLimiter::default();
        let ip = std::net::IpAddr::from([127, 0, 0, 1]);
        let t0 = 1_000_000;
        assert_eq!(r.allow("login", ip, 2, t0), Ok(()));
        assert_eq!(r.allow("login", ip, 2, t0 + 1), Ok(()));
        assert_eq!(r.allow("login", ip, 2, t0 + 2), Err(59_998), "refused until the window ends");
        assert_eq!(r.allow("register", ip, 2, t0 + 2), Ok(()));
        assert_eq!(r.allow("login", ip, 2, t0 + 59_999), Err(1), "the window lasts a minute");
        assert_eq!(r.allow("login", ip, 2, t0 + 60_000), Ok(()), "a new window opens after it");
        assert_eq!(r.allow("login", ip, 2, t0 + 60_001), Ok(()));
        assert_eq!(r.allow("login", ip, 2, t0 + 60_002), Err(59_998));
        assert_eq!(r.allow("login", ip, 2, t0), Ok(()), "a clock set back opens a new window");
    }
}
