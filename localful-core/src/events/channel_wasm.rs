//! The `BroadcastChannel` joining every tab and worker of an origin. Events travel as JSON strings.

use super::ChangeEvent;
use super::listeners::Listeners;
use std::rc::Weak;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{BroadcastChannel, MessageEvent};

pub(super) struct Channel {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Channel {
    pub(super) fn open(name: &str, listeners: Weak<Listeners>) -> Option<Self> {
        let channel = BroadcastChannel::new(name).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |msg: MessageEvent| {
            let Some(text) = msg.data().as_string() else { return };
            // Messages that are not our events (another app on the channel) are ignored.
            let Ok(event) = serde_json::from_str::<ChangeEvent>(&text) else { return };
            if let Some(listeners) = listeners.upgrade() {
                listeners.dispatch(&event);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Self { channel, _on_message: on_message })
    }

    pub(super) fn post(&self, event: &ChangeEvent) {
        // The write already committed; a failed post only costs other contexts a refresh.
        if let Ok(text) = serde_json::to_string(event) {
            let _ = self.channel.post_message(&text.into());
        }
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
