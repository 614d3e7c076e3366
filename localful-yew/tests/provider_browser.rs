//! The provider in headless Chromium: a configuration built inline in a re-rendering component
//! opens the database once.
#![cfg(target_arch = "wasm32")]

#[allow(unreachable_pub, private_interfaces, dead_code)]
mod support;

use localful_core::{Collection, ExposedField};
use localful_yew::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use support::*;
use wasm_bindgen::JsValue;
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

/// Counts the page's `indexedDB.open` calls, by database name, from now on (installed once per
/// page: `IDBFactory.prototype.open` wrapped, so every open of every database is counted).
fn count_indexed_db_opens() {
    let install = js_sys::Function::new_no_args(
        "if (!globalThis.__localfulOpens) {
             globalThis.__localfulOpens = {};
             const open = IDBFactory.prototype.open;
             IDBFactory.prototype.open = function (name, ...rest) {
                 globalThis.__localfulOpens[name] = (globalThis.__localfulOpens[name] || 0) + 1;
                 return open.call(this, name, ...rest);
             };
         }",
    );
    install.call0(&JsValue::NULL).expect("wrap indexedDB.open");
}

/// How many times database `name` was opened since [`count_indexed_db_opens`].
fn opens_of(name: &str) -> u32 {
    let opens = js_sys::Reflect::get(&js_sys::global(), &"__localfulOpens".into()).expect("installed");
    let count = js_sys::Reflect::get(&opens, &name.into()).expect("an object");
    count.as_f64().map_or(0, |n| n as u32)
}

/// What the test reads back from the app: how many renders the parent made, how many reads the
/// child finished, and every distinct context the child saw.
#[derive(Clone, Default)]
struct Probe {
    rerender: Rc<RefCell<Option<Callback<()>>>>,
    reads: Counter,
    contexts: Rc<RefCell<Vec<LocalfulContext>>>,
}
impl PartialEq for Probe {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.contexts, &other.contexts)
    }
}

#[derive(Properties, PartialEq)]
struct AppProps {
    app: String,
    probe: Probe,
}

/// Re-renders when the test asks, building its configuration inline each time.
#[function_component]
fn App(props: &AppProps) -> Html {
    let generation = use_state(|| 0_u32);
    {
        let generation = generation.clone();
        *props.probe.rerender.borrow_mut() = Some(Callback::from(move |()| generation.set(*generation + 1)));
    }
    let config = LocalfulConfig::new(props.app.clone()).with_collection::<Note>().with_device_name("inline");
    html! {
        <LocalfulProvider {config}>
            <Reader generation={*generation} probe={props.probe.clone()} />
        </LocalfulProvider>
    }
}

#[derive(Properties, PartialEq)]
struct ReaderProps {
    generation: u32,
    probe: Probe,
}

/// Reads the vault list through the provider's database after every render.
#[function_component]
fn Reader(props: &ReaderProps) -> Html {
    let ctx = use_localful();
    {
        let mut contexts = props.probe.contexts.borrow_mut();
        if contexts.last() != Some(&ctx) {
            contexts.push(ctx.clone());
        }
    }
    let reads = props.probe.reads.clone();
    use_effect_with(props.generation, move |_| {
        let database = ctx.database().clone();
        wasm_bindgen_futures::spawn_local(async move {
            database.list_vaults().await.expect("list vaults");
            reads.bump();
        });
    });
    html! { <p id="generation">{ props.generation }</p> }
}

#[wasm_bindgen_test]
async fn an_inline_config_in_a_re_rendering_component_opens_the_database_once() {
    count_indexed_db_opens();
    let app = unique_app("inline-config");
    let probe = Probe::default();
    let root = gloo::utils::document().create_element("div").expect("div");
    gloo::utils::body().append_child(&root).expect("append");
    let _app =
        yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps { app: app.clone(), probe: probe.clone() })
            .render();
    wait_until(|| probe.reads.get() == 1).await;
    // One provider's first use of its registry database: however many `open` calls that takes.
    let opened = opens_of(&app);
    assert!(opened >= 1, "the registry database `{app}` was not opened");

    const RENDERS: u32 = 20;
    for generation in 1..=RENDERS {
        let rerender = probe.rerender.borrow().clone().expect("the app rendered");
        rerender.emit(());
        // The child read through the provider's database after this render.
        wait_until(|| probe.reads.get() == generation + 1).await;
        assert_eq!(text(&root, "#generation"), generation.to_string());
    }
    assert_eq!(opens_of(&app), opened, "a re-render with an equal inline config opened the database again");
    assert_eq!(probe.contexts.borrow().len(), 1, "the provider built a new context (a new database) on a re-render");
}
