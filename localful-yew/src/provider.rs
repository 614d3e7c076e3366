//! `LocalfulProvider`: opens the database and puts it in reach of every hook below it.

use crate::{
    config::{LocalfulConfig, StorageKind},
    context::LocalfulContext,
    session::VaultSessions,
};
use localful_core::{Database, EventBus, MemoryStore, Store};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`LocalfulProvider`].
#[derive(Debug, Properties, PartialEq)]
pub struct LocalfulProviderProps {
    /// The app's configuration.
    pub config: LocalfulConfig,
    /// The app.
    #[prop_or_default]
    pub children: Html,
}

/// Opens the app's database (IndexedDB, or memory) and an event bus joined to the app's
/// `BroadcastChannel`, and provides them to its children. A configuration that differs (by value:
/// see [`LocalfulConfig`]'s `PartialEq`) from the previous render's opens anew; an equal one, even
/// built afresh on every render of the parent, keeps everything open.
#[function_component]
pub fn LocalfulProvider(props: &LocalfulProviderProps) -> Html {
    let context = use_memo(props.config.clone(), |config| {
        let store: Rc<dyn Store> = match config.storage {
            StorageKind::Memory => Rc::new(MemoryStore::new()),
            StorageKind::IndexedDb => indexed_db_store(&config.app_name),
        };
        let events = EventBus::with_channel(&config.channel_name());
        let database = Database::new(store, (*config.schema).clone(), events, config.device_name.clone());
        let sessions = VaultSessions::new(database.clone(), &config.app_name, config.clock());
        let worker = crate::worker::connect(config);
        LocalfulContext { config: Rc::new(config.clone()), database, sessions, worker }
    });
    html! {
        <ContextProvider<LocalfulContext> context={(*context).clone()}>
            { props.children.clone() }
        </ContextProvider<LocalfulContext>>
    }
}

#[cfg(target_arch = "wasm32")]
fn indexed_db_store(app_name: &str) -> Rc<dyn Store> {
    Rc::new(localful_core::IndexedDbStore::new(app_name))
}

/// Natively there is no IndexedDB; the provider (used natively only in doctests and server-side
/// checks) keeps data in memory.
#[cfg(not(target_arch = "wasm32"))]
fn indexed_db_store(_app_name: &str) -> Rc<dyn Store> {
    Rc::new(MemoryStore::new())
}
