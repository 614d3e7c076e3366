//! In the browser: a `SharedWorker` port, or the Web Lock + dedicated `Worker` + `BroadcastChannel`
//! fallback where `SharedWorker` does not exist.

use super::WorkerConnection;
use crate::LocalfulConfig;
use localful_core::wire::channels;
use localful_worker::tab_protocol::{TabMessage, WorkerMessage, worker_started_channel};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent, MessagePort, SharedWorker, Worker, WorkerOptions, WorkerType};

fn token_key(app: &str) -> String {
    format!("localful:{app}:refreshToken")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn deliver(connection: &WorkerConnection, event: &MessageEvent) {
    if let Some(text) = event.data().as_string()
        && let Ok(message) = serde_json::from_str::<WorkerMessage>(&text)
    {
        connection.receive(message);
    }
}

fn on_message(connection: &WorkerConnection) -> Closure<dyn FnMut(MessageEvent)> {
    let connection = connection.clone();
    Closure::new(move |event: MessageEvent| deliver(&connection, &event))
}

fn encode(message: &TabMessage) -> Option<JsValue> {
    serde_json::to_string(message).ok().map(JsValue::from)
}

/// Connects this tab to the sync worker, or returns a detached connection when no server is
/// configured or no worker can be started.
///
/// The connection lives as long as the page (its message closure holds it).
pub(crate) fn connect(config: &LocalfulConfig) -> WorkerConnection {
    let Some(server_url) = config.server_url.clone() else { return WorkerConnection::detached() };
    let connection = WorkerConnection::detached();
    let app = config.app_name.clone();
    let has_shared = js_sys::Reflect::has(&js_sys::global(), &"SharedWorker".into()).unwrap_or(false);
    let script = config.worker_script();
    let attached =
        if has_shared { shared(&connection, &app, &script) } else { fallback(&connection, &app, &script) };
    if attached.is_err() {
        return WorkerConnection::detached();
    }
    {
        let app = app.clone();
        connection.on_tokens(move |token| {
            if let Some(s) = storage() {
                let _ = match token {
                    Some(t) => s.set_item(&token_key(&app), t),
                    None => s.remove_item(&token_key(&app)),
                };
            }
        });
    }
    let refresh_token = storage().and_then(|s| s.get_item(&token_key(&app)).ok().flatten());
    connection.hello(TabMessage::Hello {
        app_name: app,
        server_url,
        device_name: config.device_name.clone(),
        refresh_token,
        sync: config.sync,
        protocol: localful_worker::tab_protocol::PROTOCOL_VERSION,
    });
    say_bye_on_pagehide(&connection);
    connection
}

fn worker_options(name: &str) -> WorkerOptions {
    let options = WorkerOptions::new();
    options.set_name(name);
    // trunk's loader shim of a `data-bindgen-target="web"` worker is a module script.
    options.set_type(WorkerType::Module);
    options
}

/// The page's current port to the SharedWorker, and whether the worker has spoken on it.
struct Port {
    worker: SharedWorker,
    port: MessagePort,
    heard: Rc<Cell<bool>>,
    #[allow(dead_code)] // held so the handler lives as long as the port
    handler: Closure<dyn FnMut(MessageEvent)>,
}

fn open_port(connection: &WorkerConnection, script: &str, name: &str) -> Result<Port, JsValue> {
    let worker = SharedWorker::new_with_worker_options(script, &worker_options(name))?;
    let port = worker.port();
    let heard = Rc::new(Cell::new(false));
    let (seen, connection) = (Rc::clone(&heard), connection.clone());
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        seen.set(true);
        deliver(&connection, &event);
    });
    port.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    port.start();
    Ok(Port { worker, port, heard, handler })
}

fn shared(connection: &WorkerConnection, app: &str, script: &str) -> Result<(), JsValue> {
    let name = channels::worker(app);
    // Subscribed before the worker exists: its announcement must not come before we listen.
    let base = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten());
    let absolute = match &base {
        Some(base) => web_sys::Url::new_with_base(script, base)?.href(),
        None => script.to_owned(),
    };
    let started = BroadcastChannel::new(&worker_started_channel(&name, &absolute))?;
    let current = Rc::new(RefCell::new(open_port(connection, script, &name)?));
    let on_started = {
        let (connection, current, script) = (connection.clone(), Rc::clone(&current), script.to_owned());
        Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            if current.borrow().heard.get() {
                return;
            }
            // The worker started after our `connect` and lost it: connect again. `Bye` first, in
            // case it did get that port after all (then it forgets that tab).
            let Ok(next) = open_port(&connection, &script, &name) else { return };
            let old = std::mem::replace(&mut *current.borrow_mut(), next);
            if let Some(bye) = encode(&TabMessage::Bye) {
                let _ = old.port.post_message(&bye);
            }
            old.port.close();
            drop(old.worker);
            connection.replay();
        })
    };
    started.set_onmessage(Some(on_started.as_ref().unchecked_ref()));
    let out = Rc::clone(&current);
    connection.attach(
        Box::new(move |m| {
            if let Some(v) = encode(m) {
                let _ = out.borrow().port.post_message(&v);
            }
        }),
        Box::new((current, started, on_started)),
    );
    Ok(())
}

fn fallback(connection: &WorkerConnection, app: &str, script: &str) -> Result<(), JsValue> {
    let name = channels::sync(app);
    let channel = BroadcastChannel::new(&name)?;
    let handler = on_message(connection);
    channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    let out = channel.clone();
    connection.set_request_base((js_sys::Math::random() * f64::from(u32::MAX)) as u64 * (1 << 20));
    connection.attach(
        Box::new(move |m| {
            if let Some(v) = encode(m) {
                let _ = out.post_message(&v);
            }
        }),
        Box::new((channel, handler)),
    );
    let worker_name = channels::worker(app);
    let script = script.to_owned();
    let start = move || {
        if let Ok(worker) = Worker::new_with_options(&script, &worker_options(&worker_name)) {
            // The worker lives as long as this tab; keep the JS object reachable.
            std::mem::forget(worker);
        }
    };
    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined());
    match locks {
        Some(locks) => {
            // Held until this tab closes (the promise never settles); then the next tab gets it.
            let granted = Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise {
                start();
                js_sys::Promise::new(&mut |_, _| {})
            });
            let request = js_sys::Reflect::get(&locks, &"request".into())?.dyn_into::<js_sys::Function>()?;
            request.call2(&locks, &name.into(), &granted)?;
        }
        None => start(),
    }
    Ok(())
}

fn say_bye_on_pagehide(connection: &WorkerConnection) {
    let Some(window) = web_sys::window() else { return };
    let c = connection.clone();
    let bye = Closure::<dyn FnMut()>::new(move || c.send(&TabMessage::Bye));
    let _ = window.add_event_listener_with_callback("pagehide", bye.as_ref().unchecked_ref());
    connection.keep(Box::new(bye));
}
