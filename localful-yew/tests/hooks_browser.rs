//! The hooks rendering real components in headless Chromium, over IndexedDB and BroadcastChannel.
#![cfg(target_arch = "wasm32")]

#[allow(unreachable_pub, private_interfaces, dead_code)]
mod support;

use localful_core::crypto::{self, Cipher};
use localful_core::{
    Collection, Database, ChangeEvent, EventBus, IndexedDbStore, Item, ItemId, Query, QueryResult, StoreError, Subscription,
    Timestamp, Version, VersionId,
};
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

#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
struct Tag {
    label: String,
}
impl Collection for Tag {
    const NAME: &'static str = "tags";
}

const PASSWORD: &str = "correct horse battery staple";

/// The hooks' debounce in these tests, on the manual clock.
const DEBOUNCE: u32 = 16;
/// A burst longer than this many debounce periods re-runs a hook once per such span (the hooks'
/// own `MAX_WAIT_PERIODS`).
const MAX_WAIT_PERIODS: u32 = 8;

#[derive(Properties, PartialEq)]
struct ListProps {
    vault: OpenVault,
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

/// A configuration whose hooks run on `clock`.
fn config(app: &str, clock: &ManualClock) -> LocalfulConfig {
    LocalfulConfig::new(app)
        .with_collection::<Note>()
        .with_collection::<Tag>()
        .with_device_name("tab-1")
        .with_debounce_ms(DEBOUNCE)
        .with_clock(Rc::new(clock.clone()))
}

/// Records every event the provider's bus delivers (local writes at once, other tabs' on arrival).
fn record_events(ctx: &LocalfulContext) -> (Subscription, Rc<RefCell<Vec<ChangeEvent>>>) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    (ctx.database().events().subscribe(move |event| sink.borrow_mut().push(event.clone())), seen)
}

/// How many item events of `collection` `seen` holds.
fn count_items(seen: &RefCell<Vec<ChangeEvent>>, collection: &str) -> usize {
    seen.borrow().iter().filter(|e| matches!(e, ChangeEvent::Items(c) if c.collection == collection)).count()
}

/// Whether `seen` holds an event about item `id`.
fn has_item(seen: &RefCell<Vec<ChangeEvent>>, id: ItemId) -> bool {
    seen.borrow().iter().any(|e| matches!(e, ChangeEvent::Items(c) if c.ids.contains(&id)))
}

/// Another tab of the same app: its own database over the same IndexedDB and BroadcastChannel.
async fn other_tab(config: &LocalfulConfig, vault: &OpenVault) -> (localful_core::VaultHandle, crypto::VaultKey) {
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
    let clock = ManualClock::new();
    let config = config(&app, &clock);
    let (ctx, _provider) = provider(config.clone()).await;
    let (_recording, seen) = record_events(&ctx);
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.unwrap();
    let counter = Counter::default();
    let root = mount_child(&ctx, html! { <NoteList vault={vault.clone()} counter={counter.clone()} /> });
    wait_until(|| list_items(&root).is_empty() && root.query_selector("ul.notes").unwrap().is_some()).await;

    let (tab2, key) = other_tab(&config, &vault).await;
    tab2.create(&Note { title: "from tab 2".into() }).await.unwrap();
    wait_advancing(&clock, DEBOUNCE.into(), || list_items(&root) == ["from tab 2"]).await;

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
    localful_core::Replica::of(&tab2).apply_remote_item(item).await.unwrap();
    localful_core::Replica::of(&tab2).apply_remote_version(Version {
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
    wait_advancing(&clock, DEBOUNCE.into(), || list_items(&root).len() == 2).await;

    // Quiesce: once tab 2's last write has arrived, every earlier event of it has too (one
    // sender's messages arrive in order), so a list mounted now sees no event from before. Its
    // one read shows the three notes; then no timer is set and no read is in flight.
    let synced = tab2.create(&Note { title: "sync".into() }).await.unwrap();
    wait_until(|| has_item(&seen, synced)).await;
    wait_advancing(&clock, DEBOUNCE.into(), || list_items(&root).len() == 3).await;
    clock.advance(u64::from(DEBOUNCE * MAX_WAIT_PERIODS));
    let counter = Counter::default();
    let root = mount_child(&ctx, html! { <NoteList vault={vault.clone()} counter={counter.clone()} /> });
    wait_until(|| list_items(&root).len() == 3).await;
    assert_eq!(clock.pending(), 0);

    // Writes to another collection, here and in tab 2, set no timer and render nothing: checked
    // once this tab has received all ten of their events.
    let before = counter.get();
    for i in 0..5 {
        tab2.create(&Tag { label: format!("t{i}") }).await.unwrap();
        vault.create(&Tag { label: format!("u{i}") }).await.unwrap();
    }
    wait_until(|| count_items(&seen, Tag::NAME) == 10).await;
    assert_eq!(clock.pending(), 0, "a write to `tags` set the notes list's timer");
    assert_eq!(counter.get(), before, "a write to `tags` re-rendered the notes list");

    // The marker: a note from tab 2 after the tags, the first event after a quiet spell, re-runs
    // the list at once (no timer) and is shown with exactly one more render.
    let marker = tab2.create(&Note { title: "marker".into() }).await.unwrap();
    wait_until(|| has_item(&seen, marker)).await;
    assert_eq!(clock.pending(), 0, "the first event after a quiet spell waited for a timer");
    wait_until(|| list_items(&root).len() == 4).await;
    assert_eq!(counter.get(), before + 1, "the tags or the marker re-rendered the notes list more than once");
}

#[wasm_bindgen_test]
async fn a_burst_of_writes_re_runs_once_per_quiet_period_or_max_wait() {
    let clock = ManualClock::new();
    let config = config(&unique_app("burst"), &clock);
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.unwrap();
    let counter = Counter::default();
    let root = mount_child(&ctx, html! { <NoteList vault={vault.clone()} counter={counter.clone()} /> });
    wait_until(|| root.query_selector("ul.notes").unwrap().is_some()).await;
    assert_eq!(clock.pending(), 0, "nothing to re-run yet");

    // 100 writes while the clock stands still: the first re-runs the list at once; the other 99
    // re-run it once, when the burst has been quiet for a debounce period.
    let before = counter.get();
    for i in 0..100 {
        vault.create(&Note { title: format!("note {i}") }).await.unwrap();
    }
    assert_eq!(clock.pending(), 1);
    clock.advance(u64::from(DEBOUNCE - 1));
    assert_eq!(clock.pending(), 1, "re-ran before the burst was quiet for a debounce period");
    clock.advance(1);
    assert_eq!(clock.pending(), 0);
    wait_until(|| list_items(&root).len() == 100).await;
    assert_eq!(counter.get(), before + 2, "100 writes in one instant re-rendered other than twice");

    // A write every half period never lets the burst go quiet: it re-runs once per
    // MAX_WAIT_PERIODS periods, here 64 writes × 8 ms / 128 ms = 4 times, each showing the writes
    // made until then.
    let (step, writes) = (DEBOUNCE / 2, 64);
    let span = DEBOUNCE * MAX_WAIT_PERIODS;
    let mut reruns = 0;
    for i in 1..=writes {
        vault.create(&Note { title: format!("spread {i}") }).await.unwrap();
        clock.advance(step.into());
        if i * step % span == 0 {
            assert_eq!(clock.pending(), 0, "no re-run after {} ms of writes", i * step);
            reruns += 1;
            wait_until(|| list_items(&root).len() == 100 + i as usize).await;
            assert_eq!(counter.get(), before + 2 + reruns);
        } else {
            assert_eq!(clock.pending(), 1, "re-ran after write {i}, within the maximum wait");
        }
    }
    assert_eq!(reruns, 4);
    assert_eq!(clock.pending(), 0, "the last re-run came with the last write: nothing is left to run");
}

#[wasm_bindgen_test]
async fn unmounting_stops_all_work() {
    let clock = ManualClock::new();
    let config = config(&unique_app("unmount"), &clock);
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.unwrap();
    let counter = Counter::default();
    let (root, handle) = mount_child_handle(&ctx, html! { <NoteList vault={vault.clone()} counter={counter.clone()} /> });
    wait_until(|| root.query_selector("ul.notes").unwrap().is_some()).await;
    // The first write starts a re-run at once (its read in flight); the second, in the same
    // instant, waits for a timer: unmount while it waits.
    vault.create(&Note { title: "a".into() }).await.unwrap();
    vault.create(&Note { title: "b".into() }).await.unwrap();
    assert_eq!(clock.pending(), 1);
    handle.destroy();
    wait_until(|| clock.pending() == 0).await; // the unmount cancelled the timer
    let after_unmount = counter.get();
    for i in 0..10 {
        vault.create(&Note { title: format!("n{i}") }).await.unwrap();
        assert_eq!(clock.pending(), 0, "a dropped component still follows events");
    }
    // The marker: a list mounted now shows every write. Its read starts after the dropped
    // component's read, whose transaction the ten writes already waited for.
    let marker = Counter::default();
    let fresh = mount_child(&ctx, html! { <NoteList vault={vault.clone()} counter={marker} /> });
    wait_until(|| list_items(&fresh).len() == 12).await;
    assert_eq!(counter.get(), after_unmount, "a dropped component rendered again");
    assert_eq!(root.inner_html(), "", "the unmounted component left DOM behind");
}

#[derive(Properties, PartialEq)]
struct NewNoteProps {
    vault: OpenVault,
}

#[function_component]
fn NewNote(props: &NewNoteProps) -> Html {
    let mutation = use_mutation::<Note>(&props.vault);
    let onclick = {
        let mutation = mutation.clone();
        move |_| {
            mutation.create(Note { title: "typed".into() });
        }
    };
    html! {
        <>
            <button id="create" {onclick}>{ "create" }</button>
            <p id="state">{ match (mutation.is_running(), mutation.last()) {
                (true, _) => "running".to_string(),
                (false, None) => "idle".to_string(),
                (false, Some(Ok(_))) => "done".to_string(),
                (false, Some(Err(err))) => format!("failed: {err}"),
            } }</p>
        </>
    }
}

#[wasm_bindgen_test]
async fn a_mutation_on_a_locked_vault_shows_its_error_and_writes_nothing() {
    let config = config(&unique_app("mutation"), &ManualClock::new());
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

/// A value a component hands out to the test (a hook's handle), compared by identity.
struct Slot<T>(Rc<RefCell<Option<T>>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self(Rc::default())
    }
}
impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}
impl<T> PartialEq for Slot<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
impl<T: Clone> Slot<T> {
    fn put(&self, value: T) {
        *self.0.borrow_mut() = Some(value);
    }
    fn get(&self) -> T {
        self.0.borrow().clone().expect("the component rendered")
    }
}

#[derive(Properties, PartialEq)]
struct MutatorProps {
    vault: OpenVault,
    slot: Slot<UseMutationHandle<Note>>,
}

/// Hands its mutation handle to the test; shows whether a write runs and the latest error.
#[function_component]
fn Mutator(props: &MutatorProps) -> Html {
    let mutation = use_mutation::<Note>(&props.vault);
    props.slot.put(mutation.clone());
    html! {
        <>
            <p id="running">{ mutation.is_running().to_string() }</p>
            <p id="error">{ mutation.error().map(ToString::to_string).unwrap_or_default() }</p>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct TitleProps {
    vault: OpenVault,
    id: ItemId,
}

/// One note's title, read with `use_get`.
#[function_component]
fn Title(props: &TitleProps) -> Html {
    let note = use_get::<Note>(&props.vault, vec![props.id]);
    match note.ready().and_then(|found| found.first()) {
        Some(entry) => html! { <h2 id="title" data-id={entry.id().to_string()}>{ &entry.data.title }</h2> },
        None => html! {},
    }
}

/// "New" creates a note, awaits its id and opens it.
#[function_component]
fn Opener(props: &NewNoteProps) -> Html {
    let mutation = use_mutation::<Note>(&props.vault);
    let opened = use_state(|| None::<ItemId>);
    let onclick = {
        let (mutation, opened) = (mutation.clone(), opened.clone());
        move |_| {
            let (mutation, opened) = (mutation.clone(), opened.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let id = mutation.create(Note { title: "fresh".into() }).await.expect("create");
                opened.set(Some(id));
            });
        }
    };
    html! {
        <>
            <button id="new" {onclick}>{ "new" }</button>
            if let Some(id) = *opened {
                <p id="opened">{ id.to_string() }</p>
                <Title vault={props.vault.clone()} {id} />
            }
        </>
    }
}

#[wasm_bindgen_test]
async fn an_awaited_create_returns_the_id_that_use_get_then_shows() {
    let config = config(&unique_app("awaited"), &ManualClock::new());
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.expect("create vault");
    let root = mount_child(&ctx, html! { <Opener vault={vault.clone()} /> });
    wait_until(|| root.query_selector("#new").expect("query selector").is_some()).await;
    assert_eq!(text(&root, "#opened"), "");

    click(&root, "#new");
    wait_until(|| text(&root, "#title") == "fresh").await;
    let opened = text(&root, "#opened");
    let title = root.query_selector("#title").expect("query selector").expect("the title is shown");
    assert_eq!(title.get_attribute("data-id").as_deref(), Some(opened.as_str()), "use_get showed another item");
    let page = vault.query::<Note>(&Query::new()).await.expect("query");
    assert_eq!(page.entries.len(), 1);
    assert_eq!(page.entries[0].id().to_string(), opened, "the awaited id is not the created item's");
}

#[wasm_bindgen_test]
async fn create_many_of_1000_re_renders_a_live_list_a_few_times() {
    let clock = ManualClock::new();
    let config = config(&unique_app("many"), &clock);
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.expect("create vault");
    let (counter, slot) = (Counter::default(), Slot::default());
    let list = mount_child(&ctx, html! { <NoteList vault={vault.clone()} counter={counter.clone()} /> });
    let writer = mount_child(&ctx, html! { <Mutator vault={vault.clone()} slot={slot.clone()} /> });
    wait_until(|| list.query_selector("ul.notes").expect("query selector").is_some()).await;
    let before = counter.get();

    let notes: Vec<Note> = (0..1000).map(|i| Note { title: format!("note {i}") }).collect();
    let ids = slot.get().create_many(notes).await.expect("create many");
    assert_eq!(ids.len(), 1000);
    assert_eq!(clock.pending(), 0, "one change event for the batch, its re-run at once");
    wait_until(|| list_items(&list).len() == 1000).await;
    let renders = counter.get() - before;
    console_log!("create_many of 1000: the list rendered {renders} time(s)");
    assert!(renders <= 4, "the list rendered {renders} times for one create_many");
    assert_eq!(text(&writer, "#running"), "false");
    assert_eq!(slot.get().last(), Some(&Ok(MutationOutput::CreatedMany(ids.clone()))));
    let title = vault.get::<Note>(ids[999]).await.expect("get").data.title;
    assert_eq!(title, "note 999", "ids are not in the order of the values");
}

#[wasm_bindgen_test]
async fn a_failing_mutation_returns_the_typed_error_and_shows_it() {
    let config = config(&unique_app("failing"), &ManualClock::new());
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.expect("create vault");
    let slot = Slot::default();
    let root = mount_child(&ctx, html! { <Mutator vault={vault.clone()} slot={slot.clone()} /> });
    wait_until(|| text(&root, "#running") == "false").await;

    let missing = ItemId::new();
    let err = slot.get().update(missing, Note { title: "nowhere".into() }).await.expect_err("update fails");
    assert_eq!(err, localful_core::Error::Store(StoreError::ItemNotFound(missing)));
    wait_until(|| text(&root, "#error") == format!("item {missing} not found")).await;
    assert_eq!(text(&root, "#running"), "false");
    assert!(vault.query::<Note>(&Query::new()).await.expect("query").entries.is_empty(), "the failed update wrote something");

    // A later success clears the error.
    let id = slot.get().create(Note { title: "here".into() }).await.expect("create");
    wait_until(|| text(&root, "#error").is_empty()).await;
    assert_eq!(slot.get().last(), Some(&Ok(MutationOutput::Created(id))));
}

#[wasm_bindgen_test]
async fn a_mutation_handle_kept_after_unmount_still_writes() {
    let config = config(&unique_app("kept-handle"), &ManualClock::new());
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.expect("create vault");
    let slot = Slot::default();
    let (root, handle) = mount_child_handle(&ctx, html! { <Mutator vault={vault.clone()} slot={slot.clone()} /> });
    wait_until(|| text(&root, "#running") == "false").await;
    let mutation = slot.get();
    handle.destroy();
    wait_until(|| root.inner_html().is_empty()).await;

    let id = mutation.create(Note { title: "after unmount".into() }).await.expect("create");
    mutation.update(id, Note { title: "updated after unmount".into() }).await.expect("update");
    assert_eq!(vault.get::<Note>(id).await.expect("get").data.title, "updated after unmount");
    assert!(!mutation.is_running(), "an unmounted handle counted a write");
}

#[derive(Properties, PartialEq)]
struct RefreshListProps {
    vault: OpenVault,
    slot: Slot<Live<QueryResult<Note>>>,
    /// Every render's (is_refreshing, number of notes shown).
    log: Slot<Vec<(bool, usize)>>,
}

/// The notes list, showing whether it is refreshing; hands its read handle to the test.
#[function_component]
fn RefreshList(props: &RefreshListProps) -> Html {
    let notes = use_query::<Note>(&props.vault, Query::new());
    props.slot.put(notes.clone());
    let shown = notes.ready().map(|page| page.entries.len());
    if let Some(shown) = shown {
        props.log.0.borrow_mut().get_or_insert_with(Vec::new).push((notes.is_refreshing(), shown));
    }
    html! { <p id="count">{ shown.map(|n| n.to_string()).unwrap_or_default() }</p> }
}

#[wasm_bindgen_test]
async fn refresh_re_runs_now_and_is_refreshing_meanwhile() {
    let clock = ManualClock::new();
    let config = config(&unique_app("refresh"), &clock);
    let (ctx, _provider) = provider(config.clone()).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.expect("create vault");
    let (slot, log) = (Slot::default(), Slot::default());
    let root = mount_child(&ctx, html! { <RefreshList vault={vault.clone()} slot={slot.clone()} log={log.clone()} /> });
    wait_until(|| text(&root, "#count") == "0").await;
    let renders = || log.0.borrow().clone().unwrap_or_default();
    assert_eq!(renders(), [(false, 0)]);

    // A write whose event does not reach this tab (its own database, a local event bus): only a
    // refresh shows it.
    let silent = Database::new(
        Rc::new(IndexedDbStore::new(config.app_name.clone())),
        (*config.schema).clone(),
        EventBus::local(),
        "silent",
    );
    let meta = silent.vault(vault.id()).await.expect("vault");
    let key = crypto::unlock(&meta.protected_encryption_key, PASSWORD).await.expect("unlock");
    let silent = silent.open_vault(vault.id(), Rc::new(key)).await.expect("open vault");
    silent.create(&Note { title: "unannounced".into() }).await.expect("create");
    assert_eq!(clock.pending(), 0, "the silent write reached this tab");
    assert_eq!(text(&root, "#count"), "0");

    slot.get().refresh();
    wait_until(|| text(&root, "#count") == "1").await;
    assert_eq!(renders(), [(false, 0), (true, 0), (false, 1)], "refresh did not show the old result as refreshing first");
    assert!(!slot.get().is_refreshing());

    // A component that reads the flag sees it for re-runs that change events start, too.
    vault.create(&Note { title: "announced".into() }).await.expect("create");
    assert_eq!(clock.pending(), 1);
    clock.advance(DEBOUNCE.into());
    wait_until(|| text(&root, "#count") == "2").await;
    assert_eq!(renders()[3..], [(true, 1), (false, 2)]);

    // Refresh folds a pending debounced re-run into its own.
    vault.create(&Note { title: "pending".into() }).await.expect("create");
    assert_eq!(clock.pending(), 1);
    slot.get().refresh();
    assert_eq!(clock.pending(), 0, "the debounce outlived the refresh that covers it");
    wait_until(|| text(&root, "#count") == "3").await;
    assert_eq!(renders()[5..], [(true, 2), (false, 3)]);
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

/// How long a tab waits for another context to hand over a vault's key (the sessions' own
/// request timeout).
const HANDOFF_WAIT_MS: u64 = 300;

#[wasm_bindgen_test]
async fn use_vault_unlocks_rejects_a_wrong_password_and_follows_lock() {
    let clock = ManualClock::new();
    let config = config(&unique_app("gate"), &clock);
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Diary", PASSWORD).await.unwrap();
    ctx.sessions().lock(vault.id());
    let root = mount_child(&ctx, html! { <Gate id={vault.id()} /> });
    // On mount it asks other contexts for the key, and waits on the clock for an answer.
    wait_until(|| clock.pending() == 1).await;
    assert_eq!(text(&root, "#vault"), "loading");
    clock.advance(HANDOFF_WAIT_MS);
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

/// Every state a [`LoggedGate`] rendered, in order, without repeats.
#[derive(Clone, Default)]
struct StateLog(Rc<RefCell<Vec<String>>>);

impl PartialEq for StateLog {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct LoggedGateProps {
    id: localful_core::VaultId,
    log: StateLog,
}

#[function_component]
fn LoggedGate(props: &LoggedGateProps) -> Html {
    let vault = use_vault(props.id);
    let now = match vault.state() {
        VaultState::Unlocked(_) => "unlocked".to_string(),
        VaultState::Locked(meta) => format!("locked {}", meta.name),
        VaultState::Loading => "loading".to_string(),
        _ => "other".to_string(),
    };
    let mut log = props.log.0.borrow_mut();
    if log.last() != Some(&now) {
        log.push(now);
    }
    html! {}
}

#[wasm_bindgen_test]
async fn a_vault_unlocked_while_use_vault_waits_for_other_tabs_stays_unlocked() {
    // The order an app meets when it mounts a gate as soon as a new vault is listed: the gate's
    // first look asks other contexts for the key and waits; meanwhile this tab unlocks the vault.
    let clock = ManualClock::new();
    let config = config(&unique_app("gate-race"), &clock);
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Diary", PASSWORD).await.unwrap();
    ctx.sessions().lock(vault.id());
    let log = StateLog::default();
    mount_child(&ctx, html! { <LoggedGate id={vault.id()} log={log.clone()} /> });
    wait_until(|| clock.pending() == 1).await; // the first look waits for an answer
    ctx.sessions().unlock(vault.id(), PASSWORD).await.unwrap();
    wait_until(|| log.0.borrow().last().map(String::as_str) == Some("unlocked")).await;
    // The first look gives up now: it must not take the gate back to "locked".
    clock.advance(HANDOFF_WAIT_MS);
    // The marker: a rename (read after IndexedDB work, so after the first look's end), then a lock.
    ctx.database().update_vault(vault.id(), |v| v.name = "Marker".into()).await.unwrap();
    ctx.sessions().lock(vault.id());
    wait_until(|| log.0.borrow().last().map(String::as_str) == Some("locked Marker")).await;
    assert_eq!(*log.0.borrow(), ["loading", "unlocked", "locked Marker"]);
}

#[wasm_bindgen_test]
async fn a_vault_kept_on_this_device_opens_after_a_reload_until_locked() {
    let clock = ManualClock::new();
    let config = config(&unique_app("kept"), &clock);
    let (kept, not_kept) = {
        let (ctx, page) = provider(config.clone()).await;
        let kept = ctx.sessions().create_vault("Kept", PASSWORD).await.unwrap().id();
        let not_kept = ctx.sessions().create_vault("Not kept", PASSWORD).await.unwrap().id();
        ctx.sessions().remember(kept).await.unwrap();
        assert!(ctx.sessions().is_remembered(kept).await.unwrap());
        assert!(!ctx.sessions().is_remembered(not_kept).await.unwrap());
        page.destroy();
        (kept, not_kept)
    }; // The page is gone: no context of the app holds either key in memory.

    // The reload. The vault not kept asks for its password (no other context answers); the kept
    // one opens once the wait for other contexts is over.
    let (ctx, _page) = provider(config.clone()).await;
    let root_kept = mount_child(&ctx, html! { <Gate id={kept} /> });
    let root_not_kept = mount_child(&ctx, html! { <Gate id={not_kept} /> });
    wait_until(|| clock.pending() == 2).await;
    clock.advance(HANDOFF_WAIT_MS);
    wait_until(|| text(&root_not_kept, "#vault") == "locked Not kept").await;
    wait_until(|| text(&root_kept, "#vault") == "unlocked").await;

    // Locking forgets it on this device: the next reload asks for the password.
    ctx.sessions().lock_and_forget(kept).await.unwrap();
    assert!(!ctx.sessions().is_remembered(kept).await.unwrap());
    wait_until(|| text(&root_kept, "#vault") == "locked Kept").await;
    drop(_page);
    let (ctx, _page) = provider(config).await;
    let root = mount_child(&ctx, html! { <Gate id={kept} /> });
    wait_until(|| clock.pending() == 1).await;
    clock.advance(HANDOFF_WAIT_MS);
    wait_until(|| text(&root, "#vault") == "locked Kept").await;
}
