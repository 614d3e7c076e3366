//! The listeners of one context's event bus: called in order, synchronously, for every event
//! emitted here or arriving from the cross-context channel.

use super::ChangeEvent;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A listener of the bus.
pub(super) type Listener = Rc<dyn Fn(&ChangeEvent)>;

/// The listeners of one bus, each under the id its subscription removes it by.
#[derive(Default)]
pub(super) struct Listeners {
    list: RefCell<Vec<(u64, Listener)>>,
    next: Cell<u64>,
}

impl Listeners {
    /// Calls every listener with `event`.
    pub(super) fn dispatch(&self, event: &ChangeEvent) {
        // Clone the list first: a listener may subscribe or unsubscribe while called.
        let listeners: Vec<Listener> = self.list.borrow().iter().map(|(_, l)| l.clone()).collect();
        for l in listeners {
            l(event);
        }
    }

    /// Adds `listener`; returns its id.
    pub(super) fn add(&self, listener: Listener) -> u64 {
        let id = self.next.get();
        self.next.set(id + 1);
        self.list.borrow_mut().push((id, listener));
        id
    }

    /// Removes the listener added under `id`.
    pub(super) fn remove(&self, id: u64) {
        self.list.borrow_mut().retain(|(i, _)| *i != id);
    }
}
