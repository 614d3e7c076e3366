//! Benchmark (not a check): initial sync of a seeded vault from a real localful-server into an
//! empty browser, by the sync engine (`Engine` over IndexedDB) and by plain JavaScript fetching the
//! same change pages into IndexedDB (`sync_bench/baseline.js`), in alternating rounds. Prints one
//! `LOCALFUL_BENCH {json}` line with the timings; `scripts/bench/server.sh` seeds the vault
//! (`tests/js/bench/server/seed-sync.mjs`), runs this in release and turns the line into rows.
//!
//! Built only with the `sync-bench` feature. The server URL is read at compile time from
//! `LOCALFUL_BENCH_SYNC_URL` (the seeding account and vault name are fixed, below). The server must
//! allow any origin. Run by hand:
//! `LOCALFUL_BENCH_SYNC_URL=http://127.0.0.1:3915 cargo test --release --target wasm32-unknown-unknown
//! -p localful-worker --features sync-bench --test sync_bench -- --nocapture`.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gloo_timers::future::TimeoutFuture;
use localful_core::sync::SyncConfig;
use localful_core::testing::PlainCipher;
use localful_core::wire::Change;
use localful_core::*;
use localful_worker::engine::{Engine, EngineConfig, SEQ_META_KEY};
use localful_worker::http::Api;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The account and vault `seed-sync.mjs` creates.
const EMAIL: &str = "sync-bench@bench.test";
const PASSWORD: &str = "bench-password";
const VAULT_NAME: &str = "sync-bench";
/// Measured rounds, after one warm-up: `LOCALFUL_BENCH_SYNC_ROUNDS` at build time, 3 when unset
/// (the scale run at 100 000 versions measures one).
fn rounds() -> usize {
    option_env!("LOCALFUL_BENCH_SYNC_ROUNDS").and_then(|r| r.parse().ok()).unwrap_or(3)
}

#[wasm_bindgen(module = "/tests/sync_bench/baseline.js")]
extern "C" {
    #[wasm_bindgen(js_name = plainSync, catch)]
    async fn plain_sync(base: &str, token: &str, vault: &str, page_size: u32, db: &str) -> Result<JsValue, JsValue>;
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Note {
    title: String,
    body: String,
}

impl Collection for Note {
    const NAME: &'static str = "notes";
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn fresh_db() -> Database {
    let app = format!("sync-bench-{}", VaultId::new());
    Database::new(Rc::new(IndexedDbStore::new(&app)), Schema::new().with::<Note>(), EventBus::local(), "bench")
}

/// One engine run from an empty IndexedDB until the vault's applied `seq` reaches `latest`;
/// returns the milliseconds from engine start.
async fn engine_round(api: &Api, vault: &VaultMeta, latest: u64, sync: SyncConfig) -> f64 {
    let db = fresh_db();
    db.apply_remote_vault(vault.clone()).await.unwrap();
    let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
    let start = now();
    let (engine, control) = Engine::new(api.clone(), db.clone(), EngineConfig { sync, ..EngineConfig::default() });
    wasm_bindgen_futures::spawn_local(engine.run());
    control.add_vault(handle.clone());
    loop {
        let seq = localful_core::Replica::of(&handle).meta(SEQ_META_KEY).await.unwrap().and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
        if seq >= latest {
            break;
        }
        assert!(now() - start < 600_000.0, "the engine did not finish in 10 minutes (at seq {seq} of {latest})");
        TimeoutFuture::new(10).await;
    }
    let ms = now() - start;
    control.stop();
    ms
}

/// The phases of our pull, measured apart: every page fetched and decoded by [`Api::changes`],
/// then the same changes applied by [`VaultHandle::apply_changes`] to an empty IndexedDB, as the
/// engine applies them when its pulls keep ahead: the first page alone, then `group` pages at a
/// time (`SyncConfig::prefetch_pages`).
async fn phases(api: &Api, vault: &VaultMeta, page_size: u64, group: usize) -> serde_json::Value {
    let start = now();
    let mut pages = Vec::new();
    let mut since = 0;
    loop {
        let page = api.changes(vault.id, since, page_size).await.unwrap();
        let Some(last) = page.results.last() else {
            break;
        };
        since = last.seq;
        let done = page.meta.latest_seq.is_some_and(|l| since >= l);
        pages.push(page.results);
        if done {
            break;
        }
    }
    let http_decode_ms = now() - start;
    let db = fresh_db();
    db.apply_remote_vault(vault.clone()).await.unwrap();
    let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(0))).await.unwrap();
    let mut batches: Vec<Vec<Change>> = pages.first().cloned().into_iter().collect();
    batches.extend(pages.get(1..).unwrap_or_default().chunks(group.max(1)).map(|g| g.concat()));
    let start = now();
    for batch in &batches {
        localful_core::Replica::of(&handle).apply_changes(batch).await.unwrap();
    }
    let apply_ms = now() - start;
    // Part of applying: reading each batch's item rows, as the apply does in its write transaction.
    let start = now();
    for page in &batches {
        let mut ids: Vec<ItemId> = page
            .iter()
            .filter_map(|c| c.item.as_ref().map(|i| i.id).or(c.version.as_ref().map(|v| v.item_id)))
            .collect();
        ids.sort();
        ids.dedup();
        // The same read as the apply's (`merge_items`), with nothing written.
        db.store().merge_items(vault.id, &ids, Box::new(|rows| Ok(vec![None; rows.len()]))).await.unwrap();
    }
    json!({
        "httpDecodeMs": http_decode_ms,
        "applyMs": apply_ms,
        "rowReadsMs": now() - start,
        "pages": pages.len(),
        "applies": batches.len(),
    })
}

#[wasm_bindgen_test]
async fn initial_sync_of_a_seeded_vault() {
    let url = option_env!("LOCALFUL_BENCH_SYNC_URL")
        .expect("LOCALFUL_BENCH_SYNC_URL must be set at build time (scripts/bench/server.sh sets it)");
    let api = Api::new(url);
    api.login(EMAIL, PASSWORD).await.unwrap();
    let wire = api.vaults().await.unwrap().into_iter().find(|v| v.name == VAULT_NAME).expect("the seeded vault");
    let vault = localful_core::VaultMeta::from(wire);
    let first = api.changes(vault.id, 0, 1).await.unwrap();
    let latest = first.meta.latest_seq.unwrap();
    let mut sync = SyncConfig::default();
    // Pages fetched ahead (and applied together): `LOCALFUL_BENCH_SYNC_PREFETCH` at build time, to
    // compare settings; the default configuration's otherwise.
    if let Some(pages) = option_env!("LOCALFUL_BENCH_SYNC_PREFETCH").and_then(|p| p.parse().ok()) {
        sync.prefetch_pages = pages;
    }
    let page_size = sync.page_size;
    let mut ours = Vec::new();
    let mut plain = Vec::new();
    let mut plain_phases = Vec::new();
    let mut versions = None;
    for round in 0..=rounds() {
        // Round 0 warms both paths up and is not reported.
        let ms = engine_round(&api, &vault, latest, sync).await;
        let token = api.tokens().unwrap().access_token;
        let db = format!("sync-bench-plain-{}", VaultId::new());
        let r = plain_sync(url, &token, &vault.id.to_string(), page_size as u32, &db).await.unwrap();
        let r: serde_json::Value = serde_wasm_json(&r);
        let n = r["versions"].as_f64().unwrap();
        assert_eq!(*versions.get_or_insert(n), n, "every round sees every version");
        if round > 0 {
            ours.push(ms);
            plain.push(r["ms"].as_f64().unwrap());
            plain_phases.push(r);
        }
    }
    let profile = phases(&api, &vault, page_size, sync.prefetch_pages).await;
    let line = json!({
        "versions": versions,
        "changes": latest,
        "pageSize": page_size,
        "prefetchPages": sync.prefetch_pages,
        "oursMs": ours,
        "plainMs": plain,
        "plainPhases": plain_phases,
        "oursPhases": profile,
    });
    web_sys::console::log_1(&format!("LOCALFUL_BENCH {line}").into());
}

fn serde_wasm_json(v: &JsValue) -> serde_json::Value {
    let text: String = js_sys::JSON::stringify(v).unwrap().into();
    serde_json::from_str(&text).unwrap()
}
