//! Natively there are no other tabs: the handoff holds nothing and finds nothing.

use crate::clock::Clock;
use localful_core::crypto::VaultKey;
use std::rc::Rc;

pub(super) struct Handoff;

impl Handoff {
    pub(super) fn open(_app_name: &str, _clock: Rc<dyn Clock>, _on_remote_lock: impl FnMut(&str) + 'static) -> Self {
        Self
    }
    pub(super) fn share(&self, _vault: &str, _key: VaultKey) {}
    pub(super) async fn request(&self, _vault: &str) -> Option<VaultKey> {
        None
    }
    pub(super) fn lock(&self, _vault: &str) {}
}
