use crate::state::AsyncState;
use localful_core::storage::{self, StorageError, StorageStatus};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// This origin's storage: persisted or not, usage and quota, and asking for persistence (see
/// [`use_storage`]).
#[derive(Clone, Debug)]
pub struct UseStorageHandle {
    status: UseStateHandle<AsyncState<StorageStatus, StorageError>>,
    requesting: UseStateHandle<bool>,
    /// The latest read started: an older read finishing later does not overwrite a newer one.
    latest: Rc<Cell<u64>>,
}

impl PartialEq for UseStorageHandle {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status && self.requesting == other.requesting
    }
}

impl UseStorageHandle {
    /// The latest status read: `Loading` at first, then `Ready` (persisted, usage, quota) or
    /// `Failed` ([`StorageError::Unsupported`] where the browser has no `navigator.storage`).
    pub fn status(&self) -> &AsyncState<StorageStatus, StorageError> {
        &self.status
    }

    /// Whether a [`request_persist`](Self::request_persist) is waiting for the browser's answer.
    pub fn is_requesting(&self) -> bool {
        *self.requesting
    }

    /// Reads the status again (usage grows as the app writes).
    pub fn refresh(&self) {
        let id = self.latest.get() + 1;
        self.latest.set(id);
        let (status, latest) = (self.status.setter(), self.latest.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let read = storage::status().await;
            if latest.get() == id {
                status.set(read.into());
            }
        });
    }

    /// Asks the browser to keep this origin's data until the user deletes it, then reads the
    /// status again: [`status`](Self::status) says whether it was granted. Call it from a user's
    /// action (a button, after creating a vault): browsers grant it by engagement and may ask.
    pub fn request_persist(&self) {
        self.requesting.set(true);
        let this = self.clone();
        let requesting = self.requesting.setter();
        wasm_bindgen_futures::spawn_local(async move {
            let asked = storage::request_persistence().await;
            requesting.set(false);
            match asked {
                Ok(_) => this.refresh(),
                Err(err) => {
                    this.latest.set(this.latest.get() + 1);
                    this.status.set(AsyncState::Failed(err));
                }
            }
        });
    }

    /// [`request_persist`](Self::request_persist) as a callback, for `onclick`.
    pub fn request_persist_callback<E: 'static>(&self) -> Callback<E> {
        let this = self.clone();
        Callback::from(move |_| this.request_persist())
    }
}

/// This origin's storage as the browser reports it (`navigator.storage`): whether its data is
/// persisted (kept until the user deletes it) or may be cleared when space runs low, the bytes it
/// uses and its quota, with an action to ask for persistence. Read once on mount; call
/// [`refresh`](UseStorageHandle::refresh) to read again.
///
/// # Example
/// ```no_run
/// # use localful_yew::{use_storage, AsyncState};
/// # use yew::prelude::*;
/// #[function_component]
/// fn StorageInfo() -> Html {
///     let storage = use_storage();
///     match storage.status() {
///         AsyncState::Ready(s) if s.persisted => html! { <p>{ "Your notes are kept until you delete them." }</p> },
///         AsyncState::Ready(_) => html! {
///             <p>
///                 { "The browser may clear your notes if space runs low. " }
///                 <button onclick={storage.request_persist_callback()}>{ "Keep them" }</button>
///             </p>
///         },
///         AsyncState::Failed(err) => html! { <p>{ err.to_string() }</p> },
///         AsyncState::Loading => html! {},
///     }
/// }
/// ```
///
/// # Caution
/// Browsers decide persistence themselves: Chromium grants it to sites with enough engagement
/// (or installed, or bookmarked) without asking and refuses silently otherwise; Firefox asks the
/// user. A refusal is not an error: the status stays `persisted: false`.
#[hook]
pub fn use_storage() -> UseStorageHandle {
    let status = use_state(|| AsyncState::Loading);
    let requesting = use_state(|| false);
    let latest = use_memo((), |()| Rc::new(Cell::new(0))).as_ref().clone();
    let handle = UseStorageHandle {
        status,
        requesting,
        latest,
    };
    {
        let handle = handle.clone();
        use_effect_with((), move |()| handle.refresh());
    }
    handle
}
