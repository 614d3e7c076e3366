//! The handle every read hook returns: the read's state, read-only, with a manual re-run.

use crate::state::AsyncState;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::ops::Deref;
use std::rc::Rc;
use yew::prelude::*;

/// A live read's result, as a read hook ([`use_query`](crate::use_query),
/// [`use_get`](crate::use_get), [`use_versions`](crate::use_versions)) returns it.
///
/// It dereferences to the read's [`AsyncState`], so `match &*notes { AsyncState::Ready(page) => … }`
/// works, and it cannot be written: the hook alone sets it. [`refresh`](Self::refresh) re-runs the
/// read now; [`is_refreshing`](Self::is_refreshing) tells that a re-run is in flight while the
/// previous result is still shown.
pub struct Live<T: 'static> {
    shown: UseReducerHandle<Shown<T>>,
    control: Rc<Control>,
}

impl<T: 'static> Live<T> {
    pub(crate) fn new(shown: UseReducerHandle<Shown<T>>, control: Rc<Control>) -> Self {
        Self { shown, control }
    }

    /// Re-runs the read now (a pending debounced re-run is folded into this one). The component
    /// re-renders with [`is_refreshing`](Self::is_refreshing) true, then with the new result. Does
    /// nothing once the component has unmounted.
    pub fn refresh(&self) {
        // Cloned out first: the re-run must not run under this borrow.
        let refresh = self.control.refresh.borrow().clone();
        if let Some(refresh) = refresh {
            refresh();
        }
    }

    /// Whether a re-run is in flight while an older result is shown (never during the first
    /// load: that is [`AsyncState::Loading`]).
    ///
    /// A component that asks re-renders when a re-run caused by a change event starts; one that
    /// never asks is not re-rendered for it (a burst of writes still re-renders a list twice at most).
    pub fn is_refreshing(&self) -> bool {
        self.control.tracked.set(true);
        self.shown.refreshing.get()
    }
}

impl<T: 'static> Deref for Live<T> {
    type Target = AsyncState<T>;
    fn deref(&self) -> &AsyncState<T> {
        &self.shown.result
    }
}

impl<T: 'static> Clone for Live<T> {
    fn clone(&self) -> Self {
        Self { shown: self.shown.clone(), control: self.control.clone() }
    }
}

impl<T: PartialEq + 'static> PartialEq for Live<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other && self.shown.refreshing.get() == other.shown.refreshing.get()
    }
}

impl<T: fmt::Debug + 'static> fmt::Debug for Live<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Live")
            .field("state", &**self)
            .field("refreshing", &self.shown.refreshing.get())
            .finish()
    }
}

/// What a live read shows: the latest result, and whether a newer run is in flight.
pub(crate) struct Shown<T> {
    result: Rc<AsyncState<T>>,
    /// A cell, so that a re-run nobody renders the flag for changes it without a render.
    refreshing: Cell<bool>,
}

impl<T> Default for Shown<T> {
    fn default() -> Self {
        Self { result: Rc::new(AsyncState::Loading), refreshing: Cell::new(false) }
    }
}

/// A change to what a live read shows.
pub(crate) enum Step<T> {
    /// A run started; `render` when the component is to show the refreshing flag.
    Started {
        /// Re-render for it.
        render: bool,
    },
    /// The latest run finished.
    Finished(AsyncState<T>),
}

impl<T> Reducible for Shown<T> {
    type Action = Step<T>;

    fn reduce(self: Rc<Self>, action: Step<T>) -> Rc<Self> {
        match action {
            // The first load is not a refresh: `Loading` says it all.
            Step::Started { .. } if self.result.is_loading() => self,
            // The same `Rc`: no render.
            Step::Started { render: false } => {
                self.refreshing.set(true);
                self
            }
            Step::Started { render: true } => {
                Rc::new(Self { result: self.result.clone(), refreshing: Cell::new(true) })
            }
            Step::Finished(result) => Rc::new(Self { result: Rc::new(result), refreshing: Cell::new(false) }),
        }
    }
}

/// What a [`Live`] handle shares with its hook's running effect.
#[derive(Default)]
pub(crate) struct Control {
    /// The mounted effect's manual re-run, `None` before mount and after unmount.
    pub(crate) refresh: RefCell<Option<Rc<dyn Fn()>>>,
    /// Whether the component has read [`Live::is_refreshing`]: then every re-run renders the flag.
    pub(crate) tracked: Cell<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(result: AsyncState<u32>) -> Rc<Shown<u32>> {
        Rc::new(Shown { result: Rc::new(result), refreshing: Cell::new(false) })
    }

    #[test]
    fn the_first_load_is_not_a_refresh() {
        let loading = Rc::new(Shown::<u32>::default());
        let next = loading.clone().reduce(Step::Started { render: true });
        assert!(Rc::ptr_eq(&loading, &next), "the first run's start re-rendered");
        assert!(!next.refreshing.get());
    }

    #[test]
    fn a_re_run_renders_the_flag_only_when_asked_and_the_result_clears_it() {
        let ready = shown(AsyncState::Ready(1));
        let quiet = ready.clone().reduce(Step::Started { render: false });
        assert!(Rc::ptr_eq(&ready, &quiet), "an unrendered start re-rendered");
        assert!(quiet.refreshing.get(), "the flag is kept for the next render");
        let loud = shown(AsyncState::Ready(1)).reduce(Step::Started { render: true });
        assert!(loud.refreshing.get());
        assert_eq!(*loud.result, AsyncState::Ready(1), "the older result is no longer shown");
        let done = loud.reduce(Step::Finished(AsyncState::Ready(2)));
        assert_eq!((&*done.result, done.refreshing.get()), (&AsyncState::Ready(2), false));
    }
}
