//! `use_live` rendering a real component in headless Chromium, over IndexedDB and BroadcastChannel:
//! a live count of the notes with a tag.
#![cfg(target_arch = "wasm32")]

#[allow(unreachable_pub, private_interfaces, dead_code)]
mod support;

use futures::channel::oneshot;
use localful_core::{Collection, ExposedField, Field, Op, Query};
use localful_yew::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use support::tabs::{count_items, has_item, other_tab, record_events};
use support::*;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
struct Note {
    title: String,
    tags: Vec<String>,
}
impl Collection for Note {
    const NAME: &'static str = "notes";
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::indexed("tags")]
    }
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

fn config(app: &str, clock: &ManualClock) -> LocalfulConfig {
    LocalfulConfig::new(app)
        .with_collection::<Note>()
        .with_collection::<Tag>()
        .with_debounce_ms(DEBOUNCE)
        .with_clock(Rc::new(clock.clone()))
}

fn note(title: &str, tag: &str) -> Note {
    Note { title: title.into(), tags: vec![tag.into()] }
}

/// Gates the test holds: each run of the count takes the next one (if any) after it has read, and
/// returns only once the test releases it — a slow run, made slow on purpose.
#[derive(Clone, Default)]
struct Gates {
    waiting: Rc<RefCell<VecDeque<oneshot::Receiver<()>>>>,
    /// Gated runs that returned.
    returned: Counter,
}
impl PartialEq for Gates {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.waiting, &other.waiting)
    }
}
impl Gates {
    fn hold(&self) -> oneshot::Sender<()> {
        let (release, gate) = oneshot::channel();
        self.waiting.borrow_mut().push_back(gate);
        release
    }
}

/// Every distinct count a component showed, in order.
#[derive(Clone, Default)]
struct Shown(Rc<RefCell<Vec<usize>>>);
impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct CountProps {
    vault: OpenVault,
    tag: String,
    /// Runs of the read started, and finished.
    started: Counter,
    finished: Counter,
    #[prop_or_default]
    gates: Gates,
    #[prop_or_default]
    shown: Shown,
}

/// The number of notes tagged `tag`, live.
#[function_component]
fn TagCount(props: &CountProps) -> Html {
    let deps = (props.tag.clone(), props.started.clone(), props.finished.clone(), props.gates.clone());
    let count =
        use_live(&props.vault, Watch::new().collection::<Note>(), deps, |vault, (tag, started, finished, gates)| {
            // Counted when the hook starts the run, not when the future is first polled.
            started.bump();
            async move {
                let query = Query::new().filter(Field::data("tags"), Op::Includes, tag.as_str());
                let count = vault.query::<Note>(&query).await?.entries.len();
                let gate = gates.waiting.borrow_mut().pop_front();
                if let Some(gate) = gate {
                    let _released = gate.await;
                    gates.returned.bump();
                }
                finished.bump();
                Ok(count)
            }
        });
    match &*count {
        AsyncState::Ready(n) => {
            let mut shown = props.shown.0.borrow_mut();
            if shown.last() != Some(n) {
                shown.push(*n);
            }
            html! { <p id="count">{ n }</p> }
        }
        AsyncState::Failed(err) => html! { <p id="error">{ err.to_string() }</p> },
        AsyncState::Loading => html! { <p id="loading">{ "…" }</p> },
    }
}

#[wasm_bindgen_test]
async fn a_live_count_follows_its_collection_from_another_tab_and_ignores_other_collections() {
    let clock = ManualClock::new();
    let config = config(&unique_app("live-count"), &clock);
    let (ctx, _provider) = provider(config.clone()).await;
    let (_recording, seen) = record_events(&ctx);
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.expect("create vault");
    let (started, finished) = (Counter::default(), Counter::default());
    let root = mount_child(
        &ctx,
        html! { <TagCount vault={vault.clone()} tag="work" started={started.clone()} finished={finished.clone()} /> },
    );
    wait_until(|| text(&root, "#count") == "0").await;

    // Another tab's writes: one note with the tag, one without.
    let tab2 = other_tab(&config, vault.id(), PASSWORD).await;
    tab2.create(&note("plan", "work")).await.expect("create");
    let untagged = tab2.create(&note("walk", "home")).await.expect("create");
    wait_advancing(&clock, DEBOUNCE.into(), || text(&root, "#count") == "1").await;
    // Quiet: every event of tab 2 here, no timer set, no read in flight.
    wait_advancing(&clock, DEBOUNCE.into(), || {
        has_item(&seen, untagged) && clock.pending() == 0 && started.get() == finished.get()
    })
    .await;
    assert_eq!(text(&root, "#count"), "1");

    // Writes to another collection, here and in tab 2, neither set a debounce nor re-run the count.
    let runs = started.get();
    for i in 0..5 {
        tab2.create(&Tag { label: format!("t{i}") }).await.expect("create");
        vault.create(&Tag { label: format!("u{i}") }).await.expect("create");
    }
    wait_until(|| count_items(&seen, Tag::NAME) == 10).await;
    assert_eq!(clock.pending(), 0, "a write to `tags` set the count's debounce");
    assert_eq!(started.get(), runs, "a write to `tags` re-ran the count");

    // The marker, after a quiet spell: a tagged note from tab 2 re-runs the count at once (no
    // timer), exactly once.
    clock.advance(DEBOUNCE.into());
    let marker = tab2.create(&note("review", "work")).await.expect("create");
    wait_until(|| has_item(&seen, marker)).await;
    assert_eq!(clock.pending(), 0, "the first event after a quiet spell waited for a timer");
    wait_until(|| text(&root, "#count") == "2").await;
    assert_eq!(started.get(), runs + 1);
}

#[wasm_bindgen_test]
async fn a_burst_of_matching_writes_re_runs_the_read_at_once_and_once_after() {
    let clock = ManualClock::new();
    let config = config(&unique_app("live-burst"), &clock);
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.expect("create vault");
    let (started, finished) = (Counter::default(), Counter::default());
    let root = mount_child(
        &ctx,
        html! { <TagCount vault={vault.clone()} tag="work" started={started.clone()} finished={finished.clone()} /> },
    );
    wait_until(|| text(&root, "#count") == "0").await;
    let runs = started.get();

    for i in 0..50 {
        vault.create(&note(&format!("n{i}"), "work")).await.expect("create");
    }
    // The first write re-runs the read at once; the other 49 wait for one timer.
    assert_eq!(clock.pending(), 1, "50 writes in one instant: one timer");
    assert_eq!(started.get(), runs + 1, "the first write did not re-run the read at once");
    clock.advance(DEBOUNCE.into());
    wait_until(|| text(&root, "#count") == "50").await;
    assert_eq!(started.get(), runs + 2, "50 writes re-ran the read more than twice");
}

#[wasm_bindgen_test]
async fn a_slow_older_run_never_overwrites_a_newer_result() {
    let clock = ManualClock::new();
    let config = config(&unique_app("live-stale"), &clock);
    let (ctx, _provider) = provider(config).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.expect("create vault");
    let (started, finished, gates, shown) =
        (Counter::default(), Counter::default(), Gates::default(), Shown::default());
    let root = mount_child(
        &ctx,
        html! {
            <TagCount vault={vault.clone()} tag="work" started={started.clone()} finished={finished.clone()}
                gates={gates.clone()} shown={shown.clone()} />
        },
    );
    wait_until(|| text(&root, "#count") == "0").await;

    // A run that reads 1 and is held back before it returns…
    let release = gates.hold();
    vault.create(&note("a", "work")).await.expect("create");
    clock.advance(DEBOUNCE.into());
    wait_until(|| gates.waiting.borrow().is_empty()).await;
    // …then a newer run that reads 2 and returns at once.
    vault.create(&note("b", "work")).await.expect("create");
    clock.advance(DEBOUNCE.into());
    wait_until(|| text(&root, "#count") == "2").await;

    // The older run returns now, with 1.
    release.send(()).expect("the held run waits");
    wait_until(|| gates.returned.get() == 1).await;
    // The marker: a later run shows 3; the stale 1 never appeared in between.
    vault.create(&note("c", "work")).await.expect("create");
    clock.advance(DEBOUNCE.into());
    wait_until(|| text(&root, "#count") == "3").await;
    assert_eq!(*shown.0.borrow(), [0, 2, 3], "an older run's result was shown");
}
