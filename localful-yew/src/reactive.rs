//! The engine of every read hook: run a read, re-run it when a change event touches it (debounced),
//! apply only the newest result, and stop everything when the component unmounts.

use crate::clock::{Clock, Timer};
use crate::{context::use_localful, state::AsyncState};
use futures::future::LocalBoxFuture;
use localful_core::Event;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// A burst of events longer than this many debounce periods still re-runs once per such span, so a
/// continuous stream of changes cannot starve a query.
const MAX_WAIT_PERIODS: i64 = 8;

/// Runs `run(deps)` on mount and whenever `deps` change, and again after a burst of events for
/// which `touches(event, deps)` holds. The state keeps the last result while a re-run is going.
#[hook]
pub(crate) fn use_reactive<D, T, Touch, Run>(deps: D, touches: Touch, run: Run) -> UseStateHandle<AsyncState<T>>
where
    D: PartialEq + Clone + 'static,
    T: 'static,
    Touch: Fn(&Event, &D) -> bool + 'static,
    Run: Fn(&D) -> LocalBoxFuture<'static, Result<T, localful_core::Error>> + 'static,
{
    let ctx = use_localful();
    let state = use_state(|| AsyncState::Loading);
    let latest = use_mut_ref(|| 0_u64);
    {
        let setter = state.setter();
        let debounce = i64::from(ctx.config().debounce_ms);
        let clock = ctx.config().clock();
        let events = ctx.database().events().clone();
        use_effect_with(deps, move |deps: &D| {
            let alive = Rc::new(Cell::new(true));
            let launch: Rc<dyn Fn()> = {
                let (alive, deps) = (alive.clone(), deps.clone());
                Rc::new(move || {
                    let id = {
                        let mut latest = latest.borrow_mut();
                        *latest += 1;
                        *latest
                    };
                    let (alive, latest, setter) = (alive.clone(), latest.clone(), setter.clone());
                    let read = run(&deps);
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = read.await;
                        // Unmounted, or a newer run started: this result is stale.
                        if alive.get() && *latest.borrow() == id {
                            setter.set(result.into());
                        }
                    });
                })
            };
            launch();
            let burst = Rc::new(Burst::new(clock));
            let subscription = {
                let (deps, burst) = (deps.clone(), burst.clone());
                events.subscribe(move |event| {
                    if touches(event, &deps) {
                        burst.event(debounce, launch.clone());
                    }
                })
            };
            move || {
                alive.set(false);
                drop(subscription);
                burst.cancel();
            }
        });
    }
    state
}

/// Debounce state of one hook: its clock, the pending timer and the burst's first and last event
/// times.
struct Burst {
    clock: Rc<dyn Clock>,
    timer: RefCell<Option<Timer>>,
    first: Cell<i64>,
    last: Cell<i64>,
}

impl Burst {
    fn new(clock: Rc<dyn Clock>) -> Self {
        Self { clock, timer: RefCell::default(), first: Cell::new(0), last: Cell::new(0) }
    }

    fn event(self: &Rc<Self>, debounce: i64, launch: Rc<dyn Fn()>) {
        let now = self.clock.now_ms();
        self.last.set(now);
        if self.timer.borrow().is_some() {
            return;
        }
        self.first.set(now);
        self.arm(debounce, debounce, launch);
    }

    fn arm(self: &Rc<Self>, delay: i64, debounce: i64, launch: Rc<dyn Fn()>) {
        let this = Rc::downgrade(self);
        let fire = move || {
            let Some(this) = this.upgrade() else { return };
            // The fired timer; dropping it is a no-op.
            let fired = this.timer.borrow_mut().take();
            drop(fired);
            let now = this.clock.now_ms();
            let quiet_for = now - this.last.get();
            let waited = now - this.first.get();
            if quiet_for < debounce && waited < debounce * MAX_WAIT_PERIODS {
                this.arm(debounce - quiet_for, debounce, launch);
            } else {
                launch();
            }
        };
        let timer = self.clock.set_timeout(u32::try_from(delay.max(0)).unwrap_or(u32::MAX), Box::new(fire));
        *self.timer.borrow_mut() = Some(timer);
    }

    fn cancel(&self) {
        let timer = self.timer.borrow_mut().take();
        drop(timer);
    }
}
