//! `use_query` paging in headless Chromium over IndexedDB and BroadcastChannel: the exact total and
//! a keyset cursor whose page stays right while another tab inserts items before it.
#![cfg(target_arch = "wasm32")]

#[allow(unreachable_pub, private_interfaces, dead_code)]
mod support;

use localful_core::{Collection, Cursor, Direction, ExposedField, Field, Query};
use localful_yew::*;
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use support::tabs::other_tab;
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
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::indexed("title")]
    }
}

const PASSWORD: &str = "correct horse battery staple";
const DEBOUNCE: u32 = 16;

#[derive(Properties, PartialEq)]
struct PagedProps {
    vault: OpenVault,
}

/// Notes by title, two per page, with the total and a "Next" button following the cursor.
#[function_component]
fn Paged(props: &PagedProps) -> Html {
    let cursor = use_state(|| None::<Cursor>);
    let query = Query::new()
        .order_by(Field::data("title"), Direction::Ascending)
        .limit(2)
        .with_total()
        .after((*cursor).clone());
    let notes = use_query::<Note>(&props.vault, query);
    let Some(page) = notes.ready() else { return html! { <p id="loading">{ "…" }</p> } };
    let next = page.next.clone();
    let onclick = {
        let cursor = cursor.clone();
        move |_| cursor.set(next.clone())
    };
    html! {
        <>
            <ul class="page">{ for page.entries.iter().map(|e| html! { <li>{ &e.data.title }</li> }) }</ul>
            <p id="total">{ page.total.map(|n| n.to_string()).unwrap_or_default() }</p>
            <button id="next" disabled={page.next.is_none()} {onclick}>{ "Next" }</button>
        </>
    }
}

fn shown(root: &web_sys::Element) -> Vec<String> {
    let items = root.query_selector_all("ul.page li").expect("selector");
    (0..items.length()).filter_map(|i| items.get(i)).filter_map(|n| n.text_content()).collect()
}

fn next_enabled(root: &web_sys::Element) -> bool {
    root.query_selector("#next").ok().flatten().is_some_and(|b| !b.has_attribute("disabled"))
}

#[wasm_bindgen_test]
async fn a_cursor_page_stays_right_while_another_tab_inserts_before_it_and_the_total_follows() {
    let clock = ManualClock::new();
    let config = LocalfulConfig::new(unique_app("paging"))
        .with_collection::<Note>()
        .with_debounce_ms(DEBOUNCE)
        .with_clock(Rc::new(clock.clone()));
    let (ctx, _provider) = provider(config.clone()).await;
    let vault = ctx.sessions().create_vault("Personal", PASSWORD).await.expect("create vault");
    for title in ["b", "d", "f", "h"] {
        vault.create(&Note { title: title.into() }).await.expect("create");
    }
    let root = mount_child(&ctx, html! { <Paged vault={vault.clone()} /> });
    wait_until(|| shown(&root) == ["b", "d"] && text(&root, "#total") == "4").await;
    assert!(next_enabled(&root));

    click(&root, "#next");
    wait_until(|| shown(&root) == ["f", "h"]).await;
    assert_eq!(text(&root, "#total"), "4");
    assert!(!next_enabled(&root), "the last page offers a next page");

    // Another tab inserts two notes before the page: it stays on "f", "h"; the total counts them.
    let tab2 = other_tab(&config, vault.id(), PASSWORD).await;
    tab2.create(&Note { title: "a".into() }).await.expect("create");
    tab2.create(&Note { title: "c".into() }).await.expect("create");
    wait_advancing(&clock, DEBOUNCE.into(), || text(&root, "#total") == "6").await;
    assert_eq!(shown(&root), ["f", "h"], "an insert before the cursor moved the page");
    // One inserted within the page shows in it, and pushes "h" to a next page.
    tab2.create(&Note { title: "g".into() }).await.expect("create");
    wait_advancing(&clock, DEBOUNCE.into(), || text(&root, "#total") == "7").await;
    assert_eq!(shown(&root), ["f", "g"]);
    assert!(next_enabled(&root));
    click(&root, "#next");
    wait_until(|| shown(&root) == ["h"]).await;
    assert!(!next_enabled(&root));
}
