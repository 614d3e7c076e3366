use crate::session::OpenVault;
use localful_core::{Collection, Error, ItemId, VersionId};
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;
use yew::prelude::*;

/// What a finished mutation produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MutationOutput {
    /// An item was created.
    Created(ItemId),
    /// A new version was saved.
    Updated(VersionId),
    /// An item was deleted.
    Deleted(ItemId),
    /// An old version was restored as a new version.
    Restored(VersionId),
}

/// The state of the latest mutation started through a [`UseMutationHandle`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum MutationState {
    /// Nothing started yet.
    #[default]
    Idle,
    /// Running.
    Running,
    /// Done.
    Done(MutationOutput),
    /// Failed; nothing was written.
    Failed(Error),
}

/// Writes to collection `T` of a vault, with the latest write's state (see [`use_mutation`]).
pub struct UseMutationHandle<T> {
    vault: OpenVault,
    state: UseStateHandle<MutationState>,
    latest: Rc<Cell<u64>>,
    alive: Rc<Cell<bool>>,
    _type: PhantomData<fn(T)>,
}

impl<T> Clone for UseMutationHandle<T> {
    fn clone(&self) -> Self {
        Self {
            vault: self.vault.clone(),
            state: self.state.clone(),
            latest: self.latest.clone(),
            alive: self.alive.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> PartialEq for UseMutationHandle<T> {
    fn eq(&self, other: &Self) -> bool {
        self.vault == other.vault && *self.state == *other.state
    }
}

impl<T> std::fmt::Debug for UseMutationHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UseMutationHandle").field("state", &*self.state).finish_non_exhaustive()
    }
}

impl<T: Collection> UseMutationHandle<T> {
    /// The latest mutation's state.
    pub fn state(&self) -> &MutationState {
        &self.state
    }

    /// Whether a mutation is running.
    pub fn is_running(&self) -> bool {
        matches!(*self.state, MutationState::Running)
    }

    /// The latest mutation's error, if it failed.
    pub fn error(&self) -> Option<&Error> {
        match &*self.state {
            MutationState::Failed(err) => Some(err),
            _ => None,
        }
    }

    /// Creates an item holding `value`.
    pub fn create(&self, value: T) {
        let vault = self.vault.clone();
        self.spawn(async move { vault.create(&value).await.map(MutationOutput::Created) });
    }

    /// Saves `value` as a new version of item `id`.
    pub fn update(&self, id: ItemId, value: T) {
        let vault = self.vault.clone();
        self.spawn(async move { vault.update(id, &value).await.map(MutationOutput::Updated) });
    }

    /// Deletes item `id` (a tombstone stays; its versions' data is dropped).
    pub fn delete(&self, id: ItemId) {
        let vault = self.vault.clone();
        self.spawn(async move { vault.delete::<T>(id).await.map(|()| MutationOutput::Deleted(id)) });
    }

    /// Restores `version` of item `id` as its newest version.
    pub fn restore(&self, id: ItemId, version: VersionId) {
        let vault = self.vault.clone();
        self.spawn(async move { vault.restore::<T>(id, version).await.map(MutationOutput::Restored) });
    }

    fn spawn(&self, write: impl Future<Output = Result<MutationOutput, Error>> + 'static) {
        let id = self.latest.get() + 1;
        self.latest.set(id);
        self.state.set(MutationState::Running);
        let (setter, latest, alive) = (self.state.setter(), self.latest.clone(), self.alive.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let result = write.await;
            // The write itself always completes; only its report is dropped if stale or unmounted.
            if alive.get() && latest.get() == id {
                setter.set(match result {
                    Ok(output) => MutationState::Done(output),
                    Err(err) => MutationState::Failed(err),
                });
            }
        });
    }
}

/// Create, update, delete and restore items of collection `T`, with the latest write's in-flight
/// and error state. Reads re-render by themselves through the change events the writes emit.
///
/// # Example
/// ```no_run
/// # use localful_core::Collection;
/// # use localful_yew::{use_mutation, Vault};
/// # use yew::prelude::*;
/// # #[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// #[derive(Properties, PartialEq)]
/// struct Props { vault: Vault }
///
/// #[function_component]
/// fn NewNote(props: &Props) -> Html {
///     let mutation = use_mutation::<Note>(&props.vault);
///     let onclick = {
///         let mutation = mutation.clone();
///         move |_| mutation.create(Note { title: "Untitled".into() })
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
/// # Caution
/// A write started before the component unmounts still completes (data is never dropped); only its
/// state update is skipped.
#[hook]
pub fn use_mutation<T: Collection>(vault: &OpenVault) -> UseMutationHandle<T> {
    let state = use_state(MutationState::default);
    let latest = use_mut_ref(|| Rc::new(Cell::new(0_u64))).borrow().clone();
    let alive = use_mut_ref(|| Rc::new(Cell::new(true))).borrow().clone();
    {
        let alive = alive.clone();
        use_effect_with((), move |()| move || alive.set(false));
    }
    UseMutationHandle { vault: vault.clone(), state, latest, alive, _type: PhantomData }
}
