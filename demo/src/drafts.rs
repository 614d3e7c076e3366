//! Unsaved edits, kept out of any component so that nothing typed is lost: the editor's debounce
//! timer, switching notes, locking the vault and applying an app update all [`Drafts::flush`]
//! before they go on.

use crate::model::Note;
use gloo::timers::future::TimeoutFuture;
use localful_core::{ItemId, Timestamp, VersionMeta};
use localful_yew::UseMutationHandle;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// An edit not yet written.
struct Pending {
    /// The editor's writes (kept after the editor unmounts: its last edit is written then).
    notes: UseMutationHandle<Note>,
    id: ItemId,
    note: Note,
}

/// The app's unsaved edit (at most one: one editor is open) and whether a save is in flight.
/// Cheap to clone; every clone shares the same state. Saves run one at a time, in order, so the
/// newest text is always the newest version.
#[derive(Clone, Default)]
pub(crate) struct Drafts {
    pending: Rc<RefCell<Option<Pending>>>,
    saving: Rc<Cell<bool>>,
    failed: Rc<RefCell<Option<String>>>,
    /// Per item this app saved, when its last successful save started (bounded: see `remember`).
    saved: Rc<RefCell<Vec<(ItemId, Timestamp)>>>,
}

/// How many items' save times are remembered (a query result older than that is long gone).
const REMEMBERED: usize = 64;

impl PartialEq for Drafts {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.pending, &other.pending)
    }
}

impl Drafts {
    /// Records `note` as the unsaved text of item `id` (replacing an older unsaved text).
    /// `notes` writes it: the editor's mutation handle.
    pub(crate) fn set(&self, notes: UseMutationHandle<Note>, id: ItemId, note: Note) {
        *self.pending.borrow_mut() = Some(Pending { notes, id, note });
    }

    /// Drops the unsaved edit of item `id` (it is being deleted).
    pub(crate) fn discard(&self, id: ItemId) {
        let mut slot = self.pending.borrow_mut();
        if slot.as_ref().is_some_and(|p| p.id == id) {
            *slot = None;
        }
    }

    /// Whether item `id` has unsaved or in-flight edits.
    pub(crate) fn is_dirty(&self, id: ItemId) -> bool {
        self.saving.get() || self.pending.borrow().as_ref().is_some_and(|p| p.id == id)
    }

    /// Whether anything is unsaved.
    pub(crate) fn has_pending(&self) -> bool {
        self.saving.get() || self.pending.borrow().is_some()
    }

    /// The last save's error, if it failed (the text is kept and retried by the next flush).
    pub(crate) fn error(&self) -> Option<String> {
        self.failed.borrow().clone()
    }

    /// Whether `version` of item `id` is older than the last version this app saved for it: a late
    /// read from before that save (the create's first version, or an earlier save), which must
    /// not replace the text. Last write wins by time, so a version written before the save began
    /// cannot be the item's current one any more; one written since (another tab, another device,
    /// a restore) can, and is not superseded.
    pub(crate) fn is_superseded(&self, id: ItemId, version: &VersionMeta) -> bool {
        self.saved.borrow().iter().any(|(item, started)| *item == id && version.created_at < *started)
    }

    fn remember(&self, id: ItemId, started: Timestamp) {
        let mut saved = self.saved.borrow_mut();
        saved.retain(|(item, _)| *item != id);
        if saved.len() == REMEMBERED {
            saved.remove(0);
        }
        saved.push((id, started));
    }

    /// Writes the unsaved edit as a new version and returns when nothing is unsaved (or a write
    /// failed: the edit is then kept for the next attempt).
    pub(crate) async fn flush(&self) {
        loop {
            if self.saving.get() {
                // Another flush is writing; wait for it, then write what was typed meanwhile.
                TimeoutFuture::new(15).await;
                continue;
            }
            let Some(pending) = self.pending.borrow_mut().take() else { return };
            self.saving.set(true);
            // The new version's time is at least this (it is taken inside the update).
            let started = Timestamp::now();
            let result = pending.notes.update(pending.id, pending.note.clone()).await;
            self.saving.set(false);
            match result {
                Ok(_) => {
                    self.remember(pending.id, started);
                    *self.failed.borrow_mut() = None;
                }
                Err(err) => {
                    *self.failed.borrow_mut() = Some(crate::write_error::explain(&err));
                    // Keep the text unless something newer was typed meanwhile.
                    let mut slot = self.pending.borrow_mut();
                    if slot.is_none() {
                        *slot = Some(pending);
                    }
                    return;
                }
            }
        }
    }
}
