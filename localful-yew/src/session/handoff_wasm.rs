//! In the browser, keys of unlocked vaults pass between tabs (and the worker) over
//! [`KeyHandoff`]; locking in one context locks everywhere.

use crate::clock::{self, Clock};
use localful_core::crypto::{handoff::KeyHandoff, VaultKey};
use std::rc::Rc;

/// How long a new tab waits for another context to hand over a key before asking for the password.
const REQUEST_TIMEOUT_MS: u32 = 300;

pub(super) struct Handoff {
    handoff: Option<KeyHandoff>,
    /// Times a request's wait for an answer.
    clock: Rc<dyn Clock>,
}

impl Handoff {
    pub(super) fn open(app_name: &str, clock: Rc<dyn Clock>, on_remote_lock: impl FnMut(&str) + 'static) -> Self {
        let handoff = KeyHandoff::open_named(&format!("localful:{app_name}:keys")).ok();
        if let Some(handoff) = &handoff {
            handoff.on_lock(on_remote_lock);
        }
        Self { handoff, clock }
    }

    pub(super) fn share(&self, vault: &str, key: VaultKey) {
        if let Some(handoff) = &self.handoff {
            handoff.share(vault, key);
        }
    }

    pub(super) async fn request(&self, vault: &str) -> Option<VaultKey> {
        match &self.handoff {
            Some(handoff) => handoff.request_until(vault, clock::sleep(&*self.clock, REQUEST_TIMEOUT_MS)).await.ok().flatten(),
            None => None,
        }
    }

    pub(super) fn lock(&self, vault: &str) {
        if let Some(handoff) = &self.handoff {
            handoff.lock(vault);
        }
    }
}
