//! A clock that moves only when told to, for tests.

use super::{Clock, Timer};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// A clock for tests: time stands still until [`advance`](Self::advance) moves it, and timers
/// fire only then, in order of due time (then of creation), each with the clock set to its due
/// time. Clones share the same time and timers.
///
/// ```
/// use localful_yew::{Clock, ManualClock};
/// use std::{cell::Cell, rc::Rc};
/// let clock = ManualClock::new();
/// let fired = Rc::new(Cell::new(0));
/// let seen = fired.clone();
/// let _timer = clock.set_timeout(16, Box::new(move || seen.set(seen.get() + 1)));
/// clock.advance(15);
/// assert_eq!((fired.get(), clock.pending()), (0, 1));
/// clock.advance(1);
/// assert_eq!((fired.get(), clock.pending(), clock.now_ms()), (1, 0, 16));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    state: Rc<RefCell<State>>,
}

type Callback = Box<dyn FnOnce()>;

#[derive(Default)]
struct State {
    now: i64,
    next_id: u64,
    /// Keyed by (due time, creation order): the first entry is the next to fire.
    timers: BTreeMap<(i64, u64), Callback>,
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State").field("now", &self.now).field("timers", &self.timers.keys()).finish()
    }
}

impl ManualClock {
    /// A clock at time 0 with no timers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves time forward by `ms`, firing every timer that falls due on the way, including those
    /// that the callbacks set themselves.
    pub fn advance(&self, ms: u64) {
        let target = {
            let state = self.state.borrow();
            state.now.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX))
        };
        loop {
            // Take the callback out before calling it: it may set or cancel timers.
            let next = {
                let mut state = self.state.borrow_mut();
                match state.timers.first_key_value() {
                    Some((&(due, id), _)) if due <= target => {
                        state.now = state.now.max(due);
                        state.timers.remove(&(due, id))
                    }
                    _ => None,
                }
            };
            match next {
                Some(callback) => callback(),
                None => break,
            }
        }
        self.state.borrow_mut().now = target;
    }

    /// How many timers are set and have neither fired nor been cancelled.
    pub fn pending(&self) -> usize {
        self.state.borrow().timers.len()
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.state.borrow().now
    }

    fn set_timeout(&self, delay_ms: u32, callback: Box<dyn FnOnce()>) -> Timer {
        let key = {
            let mut state = self.state.borrow_mut();
            let key = (state.now.saturating_add(i64::from(delay_ms)), state.next_id);
            state.next_id += 1;
            state.timers.insert(key, callback);
            key
        };
        let state = Rc::downgrade(&self.state);
        Timer::new(move || {
            let Some(state) = state.upgrade() else { return };
            // Drop the callback after the borrow ends: dropping it may cancel other timers.
            let removed = state.borrow_mut().timers.remove(&key);
            drop(removed);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which timers fired, and the clock's time when each did.
    type Log = Rc<RefCell<Vec<(&'static str, i64)>>>;

    fn log() -> (Log, ManualClock) {
        (Rc::default(), ManualClock::new())
    }

    fn note(clock: &ManualClock, log: &Log, name: &'static str) -> Box<dyn FnOnce()> {
        let (clock, log) = (clock.clone(), log.clone());
        Box::new(move || log.borrow_mut().push((name, clock.now_ms())))
    }

    #[test]
    fn timers_fire_in_due_order_then_creation_order_at_their_due_time() {
        let (log, clock) = log();
        let _c = clock.set_timeout(20, note(&clock, &log, "c"));
        let _a = clock.set_timeout(10, note(&clock, &log, "a"));
        let _b = clock.set_timeout(10, note(&clock, &log, "b"));
        clock.advance(9);
        assert!(log.borrow().is_empty());
        clock.advance(100);
        assert_eq!(*log.borrow(), [("a", 10), ("b", 10), ("c", 20)]);
        assert_eq!((clock.now_ms(), clock.pending()), (109, 0));
    }

    #[test]
    fn a_dropped_timer_never_fires() {
        let (log, clock) = log();
        let timer = clock.set_timeout(5, note(&clock, &log, "x"));
        drop(timer);
        assert_eq!(clock.pending(), 0);
        clock.advance(10);
        assert!(log.borrow().is_empty());
    }

    #[test]
    fn timers_set_by_callbacks_fire_within_the_same_advance_when_due() {
        let (log, clock) = log();
        let kept: Rc<RefCell<Vec<Timer>>> = Rc::default();
        let (inner_clock, inner_log, inner_kept) = (clock.clone(), log.clone(), kept.clone());
        let _outer = clock.set_timeout(
            10,
            Box::new(move || {
                inner_log.borrow_mut().push(("outer", inner_clock.now_ms()));
                let again = inner_clock.set_timeout(10, note(&inner_clock, &inner_log, "inner"));
                let late = inner_clock.set_timeout(50, note(&inner_clock, &inner_log, "late"));
                inner_kept.borrow_mut().extend([again, late]);
            }),
        );
        clock.advance(30);
        assert_eq!(*log.borrow(), [("outer", 10), ("inner", 20)]);
        assert_eq!(clock.pending(), 1, "the timer due at 60 waits");
    }
}
