//! Hosting [`Host`] in the browser: a `SharedWorker` (tabs connect with `MessagePort`s) or a
//! dedicated `Worker` (tabs talk over the `BroadcastChannel` `localful:{app}:sync`).
//!
//! The worker is started by the loader shim trunk writes (`<bin>_loader.js`, see the README). A
//! SharedWorker's first `connect` events fire while that shim still loads the wasm, before [`start`]
//! listens, and are lost: [`start`] then announces on
//! [`worker_started_channel`](crate::tab_protocol::worker_started_channel), and each tab whose port
//! has heard nothing connects again. A dedicated worker sends [`WorkerMessage::Ready`] on its
//! channel instead (tabs answer with their `Hello`).

use super::{Host, HostConfig, TabSender};
use crate::engine::EngineConfig;
use localful_core::crypto::Cipher;
use localful_core::crypto::handoff::KeyHandoff;
use localful_core::crypto::local_keys::LocalKeys;
use crate::tab_protocol::{TabMessage, WorkerMessage};
use localful_core::{Database, EventBus, IndexedDbStore, Schema};
use localful_protocol::channels;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent, MessagePort};

thread_local! {
    static HANDOFFS: RefCell<HashMap<String, Rc<KeyHandoff>>> = RefCell::new(HashMap::new());
    static KEEP: RefCell<Vec<Box<dyn std::any::Any>>> = const { RefCell::new(Vec::new()) };
}

fn keep(value: impl std::any::Any) {
    KEEP.with(|k| k.borrow_mut().push(Box::new(value)));
}

/// How long the worker waits for a tab to hand over a vault's key. An answer returns at once; the
/// whole wait passes only when no tab has the vault unlocked, which nobody waits on, so it is
/// generous: a tab on a loaded machine may take a while to answer.
const KEY_WAIT_MS: u32 = 3_000;

fn handoff(app: &str) -> Option<Rc<KeyHandoff>> {
    HANDOFFS.with(|h| {
        let mut h = h.borrow_mut();
        if let Some(existing) = h.get(app) {
            return Some(Rc::clone(existing));
        }
        let opened = Rc::new(KeyHandoff::open_named(&channels::keys(app)).ok()?);
        h.insert(app.to_owned(), Rc::clone(&opened));
        Some(opened)
    })
}

fn decode(event: &MessageEvent) -> Option<TabMessage> {
    serde_json::from_str(&event.data().as_string()?).ok()
}

fn encode(message: &WorkerMessage) -> Option<JsValue> {
    serde_json::to_string(message).ok().map(JsValue::from)
}

fn config(schema: Schema) -> HostConfig {
    HostConfig {
        open_database: Rc::new(move |app, device| {
            let store = Rc::new(IndexedDbStore::new(app));
            Database::new(store, schema.clone(), EventBus::with_channel(&channels::events(app)), device)
        }),
        key_for: Rc::new(|app, vault| {
            let (handoff, local) = (handoff(app), LocalKeys::new(app));
            Box::pin(async move {
                let vault = vault.to_string();
                // Only a key that opens the check a tab recorded at its password unlock.
                let check = local.check(&vault).await.ok()??;
                let key = handoff?.request(&vault, &check, KEY_WAIT_MS).await.ok().flatten()?;
                Some(Rc::new(key) as Rc<dyn Cipher>)
            })
        }),
        spawn: Rc::new(wasm_bindgen_futures::spawn_local),
        engine: EngineConfig::default(),
    }
}

/// Serves one `MessagePort` (a tab of the SharedWorker).
fn serve_port(host: &Rc<Host>, port: MessagePort) {
    let out = port.clone();
    let send: TabSender = Rc::new(move |m| {
        if let Some(v) = encode(m) {
            let _ = out.post_message(&v);
        }
    });
    let tab = host.add_tab(send);
    let h = Rc::clone(host);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(message) = decode(&event) {
            h.receive(tab, message);
        }
    });
    port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    port.start();
    keep((port, on_message));
}

fn connect_event(host: &Rc<Host>, event: &JsValue) {
    let ports = js_sys::Reflect::get(event, &"ports".into()).ok().map(|p| js_sys::Array::from(&p));
    if let Some(port) = ports.and_then(|p| p.get(0).dyn_into::<MessagePort>().ok()) {
        serve_port(host, port);
    }
}

/// Serves the `BroadcastChannel` of every app a dedicated worker may serve (the name comes from
/// the worker's name `localful:{app}`).
fn serve_channel(host: &Rc<Host>, name: &str) -> Result<(), JsValue> {
    let channel = BroadcastChannel::new(&channels::sync_of_worker(name))?;
    let out = channel.clone();
    let send: TabSender = Rc::new(move |m| {
        if let Some(v) = encode(m) {
            let _ = out.post_message(&v);
        }
    });
    let tab = host.add_tab(Rc::clone(&send));
    let h = Rc::clone(host);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        match decode(&event) {
            // One transport for all tabs: a tab leaving does not close it.
            Some(TabMessage::Bye) | None => {}
            Some(message) => h.receive(tab, message),
        }
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    send(&WorkerMessage::Ready);
    keep((channel, on_message));
    Ok(())
}

/// Hosts the sync worker for an app with `schema`. Call it from the worker binary's `main`.
pub fn start(schema: Schema) {
    localful_core::logging::log_to_console(tracing::Level::INFO);
    let host = Host::new(config(schema));
    let global = js_sys::global();
    if let Some(scope) = global.dyn_ref::<web_sys::SharedWorkerGlobalScope>() {
        let h = Rc::clone(&host);
        let on_connect = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| connect_event(&h, &event));
        scope.set_onconnect(Some(on_connect.as_ref().unchecked_ref()));
        keep(on_connect);
        announce(scope);
    } else if let Some(scope) = global.dyn_ref::<web_sys::DedicatedWorkerGlobalScope>()
        && serve_channel(&host, &scope.name()).is_err()
    {
        web_sys::console::error_1(&"localful-worker: no BroadcastChannel".into());
    }
    if let Some(scope) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        // The network came or went: the state is derived again (offline vs unreachable), and a
        // connection waiting out its backoff is tried at once when the network is back.
        let h = Rc::clone(&host);
        let on_change = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| h.network_changed());
        scope.set_ononline(Some(on_change.as_ref().unchecked_ref()));
        scope.set_onoffline(Some(on_change.as_ref().unchecked_ref()));
        keep(on_change);
    }
    keep(host);
}

/// Tells the tabs that this SharedWorker now listens: a tab whose `connect` was lost (it came
/// before [`start`]) connects again. Sent in the task that set `onconnect`, so every `connect`
/// this worker handles comes after it.
fn announce(scope: &web_sys::SharedWorkerGlobalScope) {
    let href = js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .and_then(|location| js_sys::Reflect::get(&location, &"href".into()))
        .ok()
        .and_then(|href| href.as_string())
        .unwrap_or_default();
    let name = crate::tab_protocol::worker_started_channel(&scope.name(), &href);
    match BroadcastChannel::new(&name) {
        Ok(channel) => {
            let _ = channel.post_message(&"started".into());
            keep(channel);
        }
        Err(_) => web_sys::console::error_1(&"localful-worker: no BroadcastChannel to announce the start on".into()),
    }
}
