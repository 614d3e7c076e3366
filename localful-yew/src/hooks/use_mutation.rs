use crate::mutation_future::MutationFuture;
use crate::session::OpenVault;
use futures::channel::oneshot;
use localful_core::{Collection, Error, ItemId, VersionId};
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;
use yew::prelude::*;

/// What a finished write produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MutationOutput {
    /// An item was created.
    Created(ItemId),
    /// Items were created together, in the order of the values given.
    CreatedMany(Vec<ItemId>),
    /// A new version was saved.
    Updated(VersionId),
    /// An item was deleted.
    Deleted(ItemId),
    /// An old version was restored as a new version.
    Restored(VersionId),
}

/// What a mutation handle shows: how many writes run, and how the latest one to finish ended.
#[derive(Debug, Clone, PartialEq, Default)]
struct Writes {
    running: u32,
    last: Option<Result<MutationOutput, Error>>,
}

/// A write starting or finishing.
enum Change {
    Started,
    Finished(Result<MutationOutput, Error>),
}

impl Reducible for Writes {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let next = match change {
            Change::Started => Self { running: self.running + 1, last: self.last.clone() },
            Change::Finished(result) => Self { running: self.running.saturating_sub(1), last: Some(result) },
        };
        Rc::new(next)
    }
}

/// Writes to collection `T` of a vault: each call starts a write and returns a [`MutationFuture`]
/// with its result; the handle shows whether any write runs and how the latest one ended (see
/// [`use_mutation`]).
pub struct UseMutationHandle<T> {
    vault: OpenVault,
    writes: UseReducerHandle<Writes>,
    alive: Rc<Cell<bool>>,
    _type: PhantomData<fn(T)>,
}

impl<T> Clone for UseMutationHandle<T> {
    fn clone(&self) -> Self {
        Self { vault: self.vault.clone(), writes: self.writes.clone(), alive: self.alive.clone(), _type: PhantomData }
    }
}

impl<T> PartialEq for UseMutationHandle<T> {
    fn eq(&self, other: &Self) -> bool {
        self.vault == other.vault && *self.writes == *other.writes
    }
}

impl<T> std::fmt::Debug for UseMutationHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UseMutationHandle")
            .field("running", &self.writes.running)
            .field("last", &self.writes.last)
            .finish_non_exhaustive()
    }
}

impl<T: Collection> UseMutationHandle<T> {
    /// Whether a write started through this handle is running (any of them, not only the latest).
    pub fn is_running(&self) -> bool {
        self.writes.running > 0
    }

    /// The error of the latest write to finish, if it failed (a later success clears it).
    pub fn error(&self) -> Option<&Error> {
        self.writes.last.as_ref().and_then(|last| last.as_ref().err())
    }

    /// How the latest write to finish ended: what it produced, or why it failed; `None` before any
    /// has finished.
    pub fn last(&self) -> Option<&Result<MutationOutput, Error>> {
        self.writes.last.as_ref()
    }

    /// Creates an item holding `value`; resolves to its id.
    pub fn create(&self, value: T) -> MutationFuture<ItemId> {
        let vault = self.vault.clone();
        self.start(async move { vault.create(&value).await }, |id| MutationOutput::Created(*id))
    }

    /// Creates one item per value in one transaction, with one change event for them all (a live
    /// list re-reads once); resolves to their ids in the order of `values`. All or nothing: on an
    /// error none is created.
    pub fn create_many(&self, values: Vec<T>) -> MutationFuture<Vec<ItemId>> {
        let vault = self.vault.clone();
        self.start(async move { vault.create_many(&values).await }, |ids| MutationOutput::CreatedMany(ids.clone()))
    }

    /// Saves `value` as a new version of item `id`; resolves to the version's id.
    pub fn update(&self, id: ItemId, value: T) -> MutationFuture<VersionId> {
        let vault = self.vault.clone();
        self.start(async move { vault.update(id, &value).await }, |version| MutationOutput::Updated(*version))
    }

    /// Deletes item `id` (a tombstone stays; its versions' data is dropped).
    pub fn delete(&self, id: ItemId) -> MutationFuture<()> {
        let vault = self.vault.clone();
        self.start(async move { vault.delete::<T>(id).await }, move |()| MutationOutput::Deleted(id))
    }

    /// Restores `version` of item `id` as its newest version; resolves to the new version's id.
    pub fn restore(&self, id: ItemId, version: VersionId) -> MutationFuture<VersionId> {
        let vault = self.vault.clone();
        self.start(async move { vault.restore::<T>(id, version).await }, |new| MutationOutput::Restored(*new))
    }

    /// Starts `write` now; the handle counts it while it runs and shows how it ended.
    fn start<R: 'static>(
        &self,
        write: impl Future<Output = Result<R, Error>> + 'static,
        output: impl FnOnce(&R) -> MutationOutput + 'static,
    ) -> MutationFuture<R> {
        let (send, receive) = oneshot::channel();
        let (writes, alive) = (self.writes.dispatcher(), self.alive.clone());
        if alive.get() {
            writes.dispatch(Change::Started);
        }
        wasm_bindgen_futures::spawn_local(async move {
            let result = write.await;
            // The write itself always completes; only its report to an unmounted component is
            // skipped.
            if alive.get() {
                writes.dispatch(Change::Finished(result.as_ref().map(output).map_err(Clone::clone)));
            }
            // Nobody awaiting (the caller dropped the future) is fine: the write is done.
            let _ = send.send(result);
        });
        MutationFuture::new(receive)
    }
}

/// Create, update, delete and restore items of collection `T`. Each call starts the write at once
/// and returns a [`MutationFuture`]: await it for the new id (or version id, or the typed error),
/// or leave it, and the write still completes. The handle shows whether any write is running and
/// the latest one's error, for rendering. Reads re-render by themselves through the change events
/// the writes emit.
///
/// # Example
/// ```no_run
/// # use localful_core::{Collection, ItemId};
/// # use localful_yew::{use_mutation, OpenVault};
/// # use yew::prelude::*;
/// # #[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// #[derive(Properties, PartialEq)]
/// struct Props { vault: OpenVault, on_open: Callback<ItemId> }
///
/// #[function_component]
/// fn NewNote(props: &Props) -> Html {
///     let mutation = use_mutation::<Note>(&props.vault);
///     let onclick = {
///         let (mutation, on_open) = (mutation.clone(), props.on_open.clone());
///         move |_| {
///             let (mutation, on_open) = (mutation.clone(), on_open.clone());
///             wasm_bindgen_futures::spawn_local(async move {
///                 // The error, if any, also shows through `mutation.error()`.
///                 if let Ok(id) = mutation.create(Note { title: "Untitled".into() }).await {
///                     on_open.emit(id);
///                 }
///             });
///         }
///     };
///     html! {
///         <>
///             <button {onclick} disabled={mutation.is_running()}>{ "New note" }</button>
///             if let Some(err) = mutation.error() { <p class="error">{ err.to_string() }</p> }
///         </>
///     }
/// }
/// ```
///
/// A write whose result is not needed is simply not awaited:
/// `move |_| { mutation.delete(id); }`.
///
/// # Caution
/// A write started before the component unmounts, or through a handle kept after it unmounted,
/// still completes and its future still resolves (data is never dropped); only the handle's
/// state is no longer updated.
#[hook]
pub fn use_mutation<T: Collection>(vault: &OpenVault) -> UseMutationHandle<T> {
    let writes = use_reducer(Writes::default);
    let alive = use_memo((), |()| Cell::new(true));
    {
        let alive = alive.clone();
        use_effect_with((), move |()| move || alive.set(false));
    }
    UseMutationHandle { vault: vault.clone(), writes, alive, _type: PhantomData }
}

#[cfg(test)]
mod tests {
    use super::*;
    use localful_core::StoreError;

    fn step(writes: Rc<Writes>, change: Change) -> Rc<Writes> {
        writes.reduce(change)
    }

    #[test]
    fn every_running_write_is_counted_and_the_latest_to_finish_is_shown() {
        let id = ItemId::new();
        let writes = step(Rc::default(), Change::Started);
        let writes = step(writes, Change::Started);
        assert_eq!(writes.running, 2);
        let failed = Err(Error::Store(StoreError::ItemNotFound(id)));
        let writes = step(writes, Change::Finished(failed.clone()));
        assert_eq!(writes.running, 1, "one write still runs");
        assert_eq!(writes.last, Some(failed));
        let writes = step(writes, Change::Finished(Ok(MutationOutput::Deleted(id))));
        assert_eq!(*writes, Writes { running: 0, last: Some(Ok(MutationOutput::Deleted(id))) });
        // A new write keeps showing how the previous one ended until it ends itself.
        let writes = step(writes, Change::Started);
        assert_eq!(writes.last, Some(Ok(MutationOutput::Deleted(id))));
    }
}
