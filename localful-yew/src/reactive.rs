//! The engine of every read hook: run a read, re-run it when a change event touches it (at once
//! after a quiet spell, coalesced within a burst) or when the handle asks, apply only the newest
//! result, and stop everything when the component unmounts.

use crate::clock::{Clock, Timer};
use crate::context::use_localful;
use crate::live::{Control, Live, Shown, Step};
use futures::future::LocalBoxFuture;
use localful_core::ChangeEvent;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// A burst of events longer than this many debounce periods still re-runs once per such span, so a
/// continuous stream of changes cannot starve a query.
const MAX_WAIT_PERIODS: i64 = 8;

/// Runs `run(deps)` on mount and whenever `deps` change, and again when events for which
/// `touches(event, deps)` holds arrive (see [`Burst`] for how they are grouped into re-runs), or
/// when [`Live::refresh`] asks. The handle keeps the last result while a re-run is going.
#[hook]
pub(crate) fn use_reactive<D, T, Touch, Run>(deps: D, touches: Touch, run: Run) -> Live<T>
where
    D: PartialEq + Clone + 'static,
    T: 'static,
    Touch: Fn(&ChangeEvent, &D) -> bool + 'static,
    Run: Fn(&D) -> LocalBoxFuture<'static, Result<T, localful_core::Error>> + 'static,
{
    let ctx = use_localful();
    let shown = use_reducer(Shown::default);
    let control = use_memo((), |()| Control::default());
    let latest = use_mut_ref(|| 0_u64);
    {
        let dispatcher = shown.dispatcher();
        let control = control.clone();
        let debounce = i64::from(ctx.config().debounce_ms);
        let clock = ctx.config().clock();
        let events = ctx.database().events().clone();
        use_effect_with(deps, move |deps: &D| {
            let alive = Rc::new(Cell::new(true));
            // `render`: whether the start of this run re-renders (to show the refreshing flag).
            let launch: Rc<dyn Fn(bool)> = {
                let (alive, deps) = (alive.clone(), deps.clone());
                Rc::new(move |render| {
                    let id = {
                        let mut latest = latest.borrow_mut();
                        *latest += 1;
                        *latest
                    };
                    dispatcher.dispatch(Step::Started { render });
                    let (alive, latest, dispatcher) = (alive.clone(), latest.clone(), dispatcher.clone());
                    let read = run(&deps);
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = read.await;
                        // Unmounted, or a newer run started: this result is stale.
                        if alive.get() && *latest.borrow() == id {
                            dispatcher.dispatch(Step::Finished(result.into()));
                        }
                    });
                })
            };
            launch(false);
            let burst = Rc::new(Burst::new(clock));
            let on_burst: Rc<dyn Fn()> = {
                let (launch, control) = (launch.clone(), control.clone());
                Rc::new(move || launch(control.tracked.get()))
            };
            let subscription = {
                let (deps, burst) = (deps.clone(), burst.clone());
                events.subscribe(move |event| {
                    if touches(event, &deps) {
                        burst.event(debounce, on_burst.clone());
                    }
                })
            };
            // A manual re-run reads everything the pending debounce was waiting to re-read.
            let refresh: Rc<dyn Fn()> = {
                let burst = Rc::downgrade(&burst);
                Rc::new(move || {
                    if let Some(burst) = burst.upgrade() {
                        burst.cancel();
                        burst.ran();
                    }
                    launch(true);
                })
            };
            *control.refresh.borrow_mut() = Some(refresh);
            move || {
                alive.set(false);
                control.refresh.borrow_mut().take();
                drop(subscription);
                burst.cancel();
            }
        });
    }
    Live::new(shown, control)
}

/// How one hook groups change events into re-runs. The first event after a quiet spell (no re-run
/// started within the last debounce period) re-runs at once, so a single write elsewhere shows
/// within a frame. An event that comes sooner waits, with any that follow, until the events have
/// stopped for a debounce period (or for at most [`MAX_WAIT_PERIODS`] periods since it came), and
/// they re-run once: a burst of writes re-runs a list twice, not once per write.
struct Burst {
    clock: Rc<dyn Clock>,
    /// The timer of the waiting re-run, if one waits.
    timer: RefCell<Option<Timer>>,
    /// When the first event of the waiting re-run came.
    first: Cell<i64>,
    /// When the last event came.
    last: Cell<i64>,
    /// When the last re-run started (`None`: not since mount).
    ran_at: Cell<Option<i64>>,
}

impl Burst {
    fn new(clock: Rc<dyn Clock>) -> Self {
        Self { clock, timer: RefCell::default(), first: Cell::new(0), last: Cell::new(0), ran_at: Cell::new(None) }
    }

    fn event(self: &Rc<Self>, debounce: i64, launch: Rc<dyn Fn()>) {
        let now = self.clock.now_ms();
        self.last.set(now);
        if self.timer.borrow().is_some() {
            return;
        }
        if self.ran_at.get().is_none_or(|at| now - at >= debounce) {
            self.ran_at.set(Some(now));
            launch();
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
                this.ran_at.set(Some(now));
                launch();
            }
        };
        let timer = self.clock.set_timeout(u32::try_from(delay.max(0)).unwrap_or(u32::MAX), Box::new(fire));
        *self.timer.borrow_mut() = Some(timer);
    }

    /// Records a re-run started by other means (a manual refresh).
    fn ran(&self) {
        self.ran_at.set(Some(self.clock.now_ms()));
    }

    fn cancel(&self) {
        let timer = self.timer.borrow_mut().take();
        drop(timer);
    }
}
