//! The user's data hooks in headless Chromium: `use_storage` (persistence and estimate) and
//! `use_backup` (export to a Blob, restore into another app's fresh databases).
#![cfg(target_arch = "wasm32")]

#[allow(unreachable_pub, private_interfaces, dead_code)]
mod support;

use localful_core::storage;
use localful_core::{Collection, Query};
use localful_yew::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use support::*;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
struct Note {
    title: String,
}
impl Collection for Note {
    const NAME: &'static str = "notes";
}

const PASSWORD: &str = "correct horse battery staple";

fn config(app: &str) -> LocalfulConfig {
    LocalfulConfig::new(app)
        .with_collection::<Note>()
        .with_device_name("tab-1")
}

#[derive(Properties)]
struct StorageInfoProps {
    /// `is_requesting()` at each render.
    requesting: Rc<RefCell<Vec<bool>>>,
}
impl PartialEq for StorageInfoProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.requesting, &other.requesting)
    }
}

#[function_component]
fn StorageInfo(props: &StorageInfoProps) -> Html {
    let storage = use_storage();
    props.requesting.borrow_mut().push(storage.is_requesting());
    match storage.status() {
        AsyncState::Ready(s) => html! {
            <>
                <p class="status" data-persisted={s.persisted.to_string()}>
                    { format!("{} {}", s.usage_bytes.unwrap_or(0), s.quota_bytes.unwrap_or(0)) }
                </p>
                <button class="persist" disabled={storage.is_requesting()} onclick={storage.request_persist_callback()}>{ "keep" }</button>
                <span class="requesting">{ storage.is_requesting().to_string() }</span>
            </>
        },
        AsyncState::Failed(err) => html! { <p class="error">{ err.to_string() }</p> },
        AsyncState::Loading => html! { <p class="loading">{ "…" }</p> },
    }
}

fn attribute(root: &web_sys::Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute(name))
}

#[wasm_bindgen_test]
async fn use_storage_shows_the_estimate_and_requests_persistence() {
    let (ctx, _app) = provider(config(&unique_app("storage"))).await;
    let requesting = Rc::new(RefCell::new(Vec::new()));
    let root = mount_child(
        &ctx,
        html! { <StorageInfo requesting={requesting.clone()} /> },
    );
    wait_until(|| attribute(&root, ".status", "data-persisted").is_some()).await;
    let shown: Vec<u64> = text(&root, ".status")
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(
        shown[1] > 0 && shown[0] <= shown[1],
        "usage and quota shown: {shown:?}"
    );

    click(&root, ".persist");
    // The request shows as running (the button disabled), then ends with the browser's answer.
    wait_until(|| {
        requesting.borrow().contains(&true) && requesting.borrow().last() == Some(&false)
    })
    .await;
    let browser = storage::status().await.unwrap();
    assert_eq!(
        attribute(&root, ".status", "data-persisted"),
        Some(browser.persisted.to_string()),
        "{}",
        root.inner_html()
    );
}

#[derive(Properties, PartialEq)]
struct BackupProps {
    slot: Slot,
}

/// Where a test reads the hook's handle from.
#[derive(Clone, Default)]
struct Slot(Rc<RefCell<Option<UseBackupHandle>>>);
impl PartialEq for Slot {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
impl Slot {
    fn state(&self) -> BackupState {
        self.0
            .borrow()
            .as_ref()
            .map(|h| h.state().clone())
            .unwrap_or_default()
    }
    fn handle(&self) -> UseBackupHandle {
        self.0.borrow().clone().unwrap()
    }
}

#[function_component]
fn Backup(props: &BackupProps) -> Html {
    let backup = use_backup();
    *props.slot.0.borrow_mut() = Some(backup.clone());
    html! { <p class="state">{ format!("{:?}", backup.state()) }</p> }
}

#[wasm_bindgen_test]
async fn use_backup_exports_and_restores_into_a_fresh_profile() {
    let (ctx, _app) = provider(config(&unique_app("backup-a"))).await;
    let vault = ctx
        .sessions()
        .create_vault("Personal", PASSWORD)
        .await
        .unwrap();
    let notes: Vec<Note> = (0..30)
        .map(|i| Note {
            title: format!("note {i}"),
        })
        .collect();
    vault.create_many(&notes).await.unwrap();
    let slot = Slot::default();
    mount_child(&ctx, html! { <Backup slot={slot.clone()} /> });
    wait_until(|| slot.0.borrow().is_some()).await;
    slot.handle().export(&vault);
    wait_until(|| {
        matches!(
            slot.state(),
            BackupState::Exported(_) | BackupState::Failed(_)
        )
    })
    .await;
    let BackupState::Exported(file) = slot.state() else {
        panic!("{:?}", slot.state())
    };
    assert_eq!(file.file_name.split(' ').next(), Some("Personal"));

    // Another app's databases: a fresh profile.
    let (other, _app2) = provider(config(&unique_app("backup-b"))).await;
    let restored = Slot::default();
    mount_child(&other, html! { <Backup slot={restored.clone()} /> });
    wait_until(|| restored.0.borrow().is_some()).await;

    // A wrong password is refused in plain words, and writes nothing.
    restored.handle().restore(file.blob.clone(), "wrong".into());
    wait_until(|| matches!(restored.state(), BackupState::Failed(_))).await;
    assert!(other.database().list_vaults().await.unwrap().is_empty());

    restored
        .handle()
        .restore(file.blob.clone(), PASSWORD.into());
    wait_until(|| {
        matches!(
            restored.state(),
            BackupState::Restored(_) | BackupState::Failed(_)
        )
    })
    .await;
    let BackupState::Restored(report) = restored.state() else {
        panic!("{:?}", restored.state())
    };
    assert_eq!(report.items_added, 30);

    let open = other.sessions().unlock(vault.id(), PASSWORD).await.unwrap();
    let page = open.query::<Note>(&Query::new()).await.unwrap();
    assert_eq!(page.entries.len(), 30);
}
