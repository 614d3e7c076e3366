//! The store suite on the in-memory store, natively.
#![cfg(not(target_arch = "wasm32"))]
#![allow(missing_docs, clippy::unwrap_used)]

mod store_suite;

use futures::FutureExt;
use localful_core::{EventBus, MemoryStore, Store};
use std::rc::Rc;
use store_suite::Factory;

fn factory() -> Factory {
    Factory {
        store: Rc::new(|| async { Rc::new(MemoryStore::new()) as Rc<dyn Store> }.boxed_local()),
        bus: Rc::new(EventBus::with_channel),
        broadcasts: false,
        quota_store: Some(Rc::new(|bytes| Rc::new(MemoryStore::with_quota(bytes)) as Rc<dyn Store>)),
    }
}

macro_rules! native_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                futures::executor::block_on(store_suite::$name(&factory()));
            }
        )*
    };
}

for_each_store_test!(native_tests);
