//! The hooks rendering real components in headless Chromium, over IndexedDB and BroadcastChannel.
#![cfg(target_arch = "wasm32")]

#[allow(unreachable_pub, private_interfaces, dead_code)]
mod support;

use localful_core::crypto::{self, Cipher};
use localful_core::{Collection, Database, EventBus, IndexedDbStore, Item, ItemId, Query, Timestamp, Version, VersionId};
use localful_yew::*;
use serde::{Deserialize, Serialize};
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

#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
struct Tag {
    label: String,
}
impl Collection for Tag {
    const NAME: &'static str = "tags";
}

const PASSWORD: &str = "correct horse battery staple";

#[derive(Properties, PartialEq)]
struct ListProps {
    vault: Vault,
    counter: Counter,
}

/// Renders the notes' titles; counts its renders.
#[function_component]
fn NoteList(props: &ListProps) -> Html {
    props.counter.bump();
    let notes = use_query::<Note>(&props.vault, Query::new());
    match &*notes {
        AsyncState::Ready(page) => html! {
            <ul class="notes">{ for page.entries.iter().map(|e| html! { <li>{ &e.data.title }</li> }) }</ul>
        },
        AsyncState::Failed(err) => html! { <p class="error">{ err.to_string() }</p> },
        AsyncState::Loading => html! { <p>{ "loading" }</p> },
    }
}

fn config(app: &str) -> LocalfulConfig {
    LocalfulConfig::new(app).with_collection::<Note>().with_collection::<Tag>().with_device_name("tab-1")
}

/// Another tab of the same app: its own database over the same IndexedDB and BroadcastChannel.
async fn other_tab(config: &LocalfulConfig, vault: &Vault) -> (localful_core::VaultHandle, crypto::VaultKey) {
    let db = Database::new(
        Rc::new(IndexedDbStore::new(config.app_name.clone())),
        (*config.schema).clone(),
        EventBus::with_channel(&config.channel_name()),
        "tab-2",
    );
    let meta = db.vault(vault.id()).await.unwrap();
    let key = crypto::unlock(&meta.protected_encryption_key, PASSWORD).await.unwrap();
    (db.open_vault(vault.id(), Rc::new(key.clone())).await.unwrap(), key)
}

fn list_items(root: &web_sys::Element) -> Vec<String> {
    let items = root.query_selector_all("ul.notes li").unwrap();
    (0..items.length()).filter_map(|i| items.get(i)).filter_map(|n| n.text_content()).collect()
}

#[wasm_bindgen_test]
async fn list_follows_another_tab_and_remote_writes_but_not_other_collections() {
    let app = unique_app("list");
    let config = config(&app);
    let (ctx, _provider) = provider(config.clone()).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.unwrap();
    let counter = Counter::default();
    let root = mount_child(&ctx, html! { <NoteList vault={vault.clone()} counter={counter.clone()} /> });
    wait_until(|| list_items(&root).is_empty() && root.query_selector("ul.notes").unwrap().is_some()).await;

    let (tab2, key) = other_tab(&config, &vault).await;
    tab2.create(&Note { title: "from tab 2".into() }).await.unwrap();
    wait_until(|| list_items(&root) == ["from tab 2"]).await;

    // The worker applying a version that came from the server: same events, same update.
    let (item_id, version_id) = (ItemId::new(), VersionId::new());
    let now = Timestamp::now();
    let data = key.encrypt(br#"{"title":"from the server"}"#).await.unwrap();
    let item = Item {
        id: item_id,
        vault_id: vault.id(),
        collection: Note::NAME.into(),
        created_at: now,
        deleted_at: None,
        current_version_id: None,
        exposed: Default::default(),
    };
    tab2.apply_remote_item(item).await.unwrap();
    tab2.apply_remote_version(Version {
        id: version_id,
        item_id,
        created_at: now,
        device_name: "phone".into(),
        schema_version: 1,
        protected_data: Some(data),
        deleted_at: None,
    })
    .await
    .unwrap();
    wait_until(|| list_items(&root).len() == 2).await;

    // Writes to another collection do not re-run the notes query.
    settle().await;
    let before = counter.get();
    for i in 0..5 {
        tab2.create(&Tag { label: format!("t{i}") }).await.unwrap();
        vault.create(&Tag { label: format!("u{i}") }).await.unwrap();
    }
    settle().await;
    assert_eq!(counter.get(), before, "a write to `tags` re-rendered the notes list");
}

#[wasm_bindgen_test]
async fn a_burst_of_100_writes_re_runs_a_few_times_and_shows_all() {
    let config = config(&unique_app("burst"));
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.unwrap();
    let counter = Counter::default();
    let root = mount_child(&ctx, html! { <NoteList vault={vault.clone()} counter={counter.clone()} /> });
    wait_until(|| root.query_selector("ul.notes").unwrap().is_some()).await;
    settle().await;
    let before = counter.get();
    let started = js_sys::Date::now();
    for i in 0..100 {
        vault.create(&Note { title: format!("note {i}") }).await.unwrap();
    }
    let burst_ms = js_sys::Date::now() - started;
    wait_until(|| list_items(&root).len() == 100).await;
    settle().await;
    let reruns = counter.get() - before;
    // A continuous burst re-runs the query at most once per 8 debounce periods (16 ms each), and
    // once after it: on an idle machine the 100 writes take well under a second (a few re-runs);
    // on a loaded one they take longer and may re-run more, but never once per write.
    let allowed = (burst_ms / (16.0 * 8.0)).ceil() as u32 + 2;
    assert!(reruns <= allowed.min(30), "100 writes in {burst_ms} ms caused {reruns} re-renders (allowed {allowed})");
}

#[wasm_bindgen_test]
async fn unmounting_stops_all_work() {
    let config = config(&unique_app("unmount"));
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.unwrap();
    let counter = Counter::default();
    let (root, handle) = mount_child_handle(&ctx, html! { <NoteList vault={vault.clone()} counter={counter.clone()} /> });
    wait_until(|| root.query_selector("ul.notes").unwrap().is_some()).await;
    // Start a re-run, then unmount while its timer is pending and its read in flight.
    vault.create(&Note { title: "a".into() }).await.unwrap();
    handle.destroy();
    let after_unmount = counter.get();
    for i in 0..10 {
        vault.create(&Note { title: format!("n{i}") }).await.unwrap();
    }
    settle().await;
    assert_eq!(counter.get(), after_unmount, "a dropped component rendered again");
    assert_eq!(root.inner_html(), "", "the unmounted component left DOM behind");
}

#[derive(Properties, PartialEq)]
struct NewNoteProps {
    vault: Vault,
}

#[function_component]
fn NewNote(props: &NewNoteProps) -> Html {
    let mutation = use_mutation::<Note>(&props.vault);
    let onclick = {
        let mutation = mutation.clone();
        move |_| mutation.create(Note { title: "typed".into() })
    };
    html! {
        <>
            <button id="create" {onclick}>{ "create" }</button>
            <p id="state">{ match mutation.state() {
                MutationState::Idle => "idle".to_string(),
                MutationState::Running => "running".to_string(),
                MutationState::Done(_) => "done".to_string(),
                MutationState::Failed(err) => format!("failed: {err}"),
            } }</p>
        </>
    }
}

#[wasm_bindgen_test]
async fn a_mutation_on_a_locked_vault_shows_its_error_and_writes_nothing() {
    let config = config(&unique_app("mutation"));
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.unwrap();
    let root = mount_child(&ctx, html! { <NewNote vault={vault.clone()} /> });
    wait_until(|| text(&root, "#state") == "idle").await;

    click(&root, "#create");
    wait_until(|| text(&root, "#state") == "done").await;

    ctx.sessions().lock(vault.id());
    click(&root, "#create");
    wait_until(|| text(&root, "#state").starts_with("failed")).await;
    assert_eq!(text(&root, "#state"), "failed: the vault is locked");

    let reopened = ctx.sessions().unlock(vault.id(), PASSWORD).await.unwrap();
    let page = reopened.query::<Note>(&Query::new()).await.unwrap();
    assert_eq!(page.entries.len(), 1, "the failed write left data behind");
}

#[derive(Properties, PartialEq)]
struct GateProps {
    id: localful_core::VaultId,
}

#[function_component]
fn Gate(props: &GateProps) -> Html {
    let vault = use_vault(props.id);
    let unlock = vault.unlock_callback();
    html! {
        <>
            <p id="vault">{ match vault.state() {
                VaultState::Unlocked(_) => "unlocked".to_string(),
                VaultState::Locked(meta) => format!("locked {}", meta.name),
                VaultState::Unlocking(_) => "unlocking".to_string(),
                VaultState::Loading => "loading".to_string(),
                VaultState::Failed(err) => format!("failed: {err}"),
                _ => "other".to_string(),
            } }</p>
            <p id="error">{ vault.unlock_error().map(|e| e.to_string()).unwrap_or_default() }</p>
            <button id="wrong" onclick={ let u = unlock.clone(); move |_| u.emit("wrong".into()) }>{ "wrong" }</button>
            <button id="right" onclick={ move |_| unlock.emit(PASSWORD.into()) }>{ "right" }</button>
        </>
    }
}

#[wasm_bindgen_test]
async fn use_vault_unlocks_rejects_a_wrong_password_and_follows_lock() {
    let config = config(&unique_app("gate"));
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Diary", PASSWORD).await.unwrap();
    ctx.sessions().lock(vault.id());
    let root = mount_child(&ctx, html! { <Gate id={vault.id()} /> });
    wait_until(|| text(&root, "#vault") == "locked Diary").await;

    click(&root, "#wrong");
    wait_until(|| text(&root, "#error") == "wrong password").await;
    assert_eq!(text(&root, "#vault"), "locked Diary");

    click(&root, "#right");
    wait_until(|| text(&root, "#vault") == "unlocked").await;
    assert_eq!(text(&root, "#error"), "");

    ctx.sessions().lock(vault.id());
    wait_until(|| text(&root, "#vault") == "locked Diary").await;
}
