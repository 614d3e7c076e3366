//! In the browser: a `SharedWorker` port, or the Web Lock + dedicated `Worker` + `BroadcastChannel`
//! fallback where `SharedWorker` does not exist.

use super::{WorkerConnection, worker_url};
use crate::LocalfulConfig;
use localful_core::wire::{TabMessage, WorkerMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent, MessagePort, SharedWorker, Worker, WorkerOptions};

fn token_key(app: &str) -> String {
    format!("localful:{app}:refreshToken")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn on_message(connection: &WorkerConnection) -> Closure<dyn FnMut(MessageEvent)> {
    let connection = connection.clone();
    Closure::new(move |event: MessageEvent| {
        if let Some(text) = event.data().as_string()
            && let Ok(message) = serde_json::from_str::<WorkerMessage>(&text)
        {
            connection.receive(message);
        }
    })
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
    let attached = if has_shared { shared(&connection, &app) } else { fallback(&connection, &app) };
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
    });
    say_bye_on_pagehide(&connection);
    connection
}

fn shared(connection: &WorkerConnection, app: &str) -> Result<(), JsValue> {
    let options = WorkerOptions::new();
    options.set_name(&format!("localful:{app}"));
    let worker = SharedWorker::new_with_worker_options(&worker_url(), &options)?;
    let port: MessagePort = worker.port();
    let handler = on_message(connection);
    port.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    port.start();
    let out = port.clone();
    connection.attach(
        Box::new(move |m| {
            if let Some(v) = encode(m) {
                let _ = out.post_message(&v);
            }
        }),
        Box::new((worker, port, handler)),
    );
    Ok(())
}

fn fallback(connection: &WorkerConnection, app: &str) -> Result<(), JsValue> {
    let name = format!("localful:{app}:sync");
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
    let worker_name = format!("localful:{app}");
    let start = move || {
        let options = WorkerOptions::new();
        options.set_name(&worker_name);
        if let Ok(worker) = Worker::new_with_options(&worker_url(), &options) {
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
