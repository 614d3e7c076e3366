//! Benchmark of every crypto backend, in one run: PBKDF2-HMAC-SHA256 at 600 000 iterations and
//! AES-256-GCM of 1 KiB, 64 KiB and 1 MiB (seal and open), printed as a table.
//!
//! In headless Chromium (ring on wasm32 needs clang):
//! ```text
//! WASM_BINDGEN_TEST_TIMEOUT=300 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown \
//!   -p localful-core --features crypto-bench --test crypto_bench -- --nocapture
//! ```
//! Natively: `cargo test --release -p localful-core --features crypto-bench --test crypto_bench -- --nocapture`.
#![cfg(feature = "crypto-bench")]
#![allow(clippy::unwrap_used)]

use localful_core::crypto::Backend;
use localful_core::crypto::backends::{Ring, RustCrypto};

#[cfg(target_arch = "wasm32")]
mod platform {
    use wasm_bindgen::prelude::*;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen(inline_js = "export function now() { return performance.now(); }
        export function pause() { return new Promise((resolve) => setTimeout(resolve, 0)); }")]
    extern "C" {
        pub fn now() -> f64;
        async fn pause() -> JsValue;
    }

    /// Lets the page breathe between measurements (the test runner polls it).
    pub(crate) async fn breathe() {
        pause().await;
    }

    pub(crate) fn print(text: &str) {
        wasm_bindgen_test::console_log!("{text}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    use std::sync::OnceLock;
    use std::time::Instant;

    pub(crate) fn now() -> f64 {
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }

    pub(crate) async fn breathe() {}

    pub(crate) fn print(text: &str) {
        println!("{text}");
    }
}

const SIZES: [(usize, &str, usize); 3] = [(1024, "1 KiB", 500), (64 * 1024, "64 KiB", 30), (1024 * 1024, "1 MiB", 4)];

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// One row: PBKDF2 600k (ms, median of 3), then for each size seal and open (ms per message, median
/// of 3 batches).
async fn measure<B: Backend>(backend: &B) -> Vec<f64> {
    let mut row = Vec::new();
    let mut runs = Vec::new();
    for _ in 0..3 {
        let start = platform::now();
        let out = backend.pbkdf2_sha256(b"a fairly long vault password", &[7u8; 16], 600_000, 32).await.unwrap();
        runs.push(platform::now() - start);
        assert_eq!(out.len(), 32);
        platform::breathe().await;
    }
    row.push(median(runs));
    let key = backend.import_key(&[0x42; 32]).await.unwrap();
    let iv = [9u8; 12];
    // Warm up (allocator, page faults, JIT) so the first backend measured is not penalized.
    let warm = vec![1u8; 1024 * 1024];
    for _ in 0..2 {
        let sealed = backend.seal(&key, &iv, &warm).await.unwrap();
        backend.open(&key, &iv, &sealed).await.unwrap();
    }
    // Batches, not single calls: browsers coarsen performance.now() (100 µs in Chromium without
    // cross-origin isolation).
    for (size, _, reps) in SIZES {
        let plaintext = vec![0x5au8; size];
        let (mut seals, mut opens) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            let start = platform::now();
            let mut sealed = Vec::with_capacity(reps);
            for _ in 0..reps {
                sealed.push(backend.seal(&key, &iv, &plaintext).await.unwrap());
            }
            let middle = platform::now();
            for message in &sealed {
                assert_eq!(backend.open(&key, &iv, message).await.unwrap().len(), size);
            }
            seals.push((middle - start) / reps as f64);
            opens.push((platform::now() - middle) / reps as f64);
            platform::breathe().await;
        }
        row.push(median(seals));
        row.push(median(opens));
    }
    row
}

fn table(rows: &[(&str, Vec<f64>)]) -> String {
    let mut out = String::from("| backend | PBKDF2 600k | ");
    out += &SIZES.iter().map(|(_, name, _)| format!("seal {name} | open {name}")).collect::<Vec<_>>().join(" | ");
    out += " |\n|---|---:|";
    out += &"---:|".repeat(SIZES.len() * 2);
    for (name, row) in rows {
        out += &format!("\n| {name} | {:.1} ms |", row[0]);
        for value in &row[1..] {
            out += &if *value < 1.0 { format!(" {:.1} µs |", value * 1000.0) } else { format!(" {value:.2} ms |") };
        }
    }
    out
}

async fn run_all() {
    let mut rows = vec![("ring-compat", measure(&Ring).await), ("RustCrypto", measure(&RustCrypto).await)];
    #[cfg(not(target_arch = "wasm32"))]
    rows.push(("Native (default)", measure(&localful_core::crypto::backends::Native).await));
    #[cfg(target_arch = "wasm32")]
    {
        rows.push(("WebCrypto", measure(&localful_core::crypto::backends::WebCrypto).await));
        rows.push(("Browser (default)", measure(&localful_core::crypto::backends::Browser).await));
    }
    platform::print(&format!("\n{}\n(median of 3 runs, per operation; {})", table(&rows), env_note()));
}

fn env_note() -> &'static str {
    if cfg!(target_arch = "wasm32") { "wasm32 in headless Chromium" } else { "native" }
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test::wasm_bindgen_test]
async fn crypto_backends_benchmark() {
    run_all().await;
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn crypto_backends_benchmark() {
    futures::executor::block_on(run_all());
}
