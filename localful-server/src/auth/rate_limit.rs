//! A fixed-window attempt counter per (route, client IP), in memory.
//!
//! Each process counts on its own: with N processes behind a balancer a client gets up to N times
//! the limit. That bounds password guessing well enough for a self-hosted server.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// Window start and attempts per (route, IP).
type Windows = HashMap<(&'static str, IpAddr), (Instant, u32)>;

/// Counts attempts per key within one-minute windows.
#[derive(Debug, Clone, Default)]
pub(crate) struct RateLimiter {
    windows: Arc<Mutex<Windows>>,
}

impl RateLimiter {
    /// Records one attempt; `false` when `limit` attempts were already made in this window.
    pub(crate) fn allow(&self, route: &'static str, ip: IpAddr, limit: u32) -> bool {
        let now = Instant::now();
        let Ok(mut map) = self.windows.lock() else { return true };
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = map.entry((route, ip)).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= limit
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn limits_per_route_and_ip() {
        let r = super::RateLimiter::default();
        let ip = std::net::IpAddr::from([127, 0, 0, 1]);
        assert!(r.allow("login", ip, 2));
        assert!(r.allow("login", ip, 2));
        assert!(!r.allow("login", ip, 2));
        assert!(r.allow("register", ip, 2));
    }
}
