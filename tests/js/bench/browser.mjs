// Browser benchmarks (issue #10, part "browser"), driven in headless Chromium (Debian's) by
// playwright-core. Run by scripts/bench/browser.sh, which builds the page first:
//
//   LOCALFUL_BENCH_DIST=target/bench/browser-dist LOCALFUL_BENCH_DEMO_DIST=target/bench/demo-dist \
//     LOCALFUL_BENCH_OUT=target/bench/browser.jsonl node tests/js/bench/browser.mjs
//
// Each benchmark alternates our side (benches/browser, the wasm page) with its baselines
// (benches/browser/js) in rounds, after a warm-up, in one browser; a figure is the median over the
// rounds of each round's statistic. Results: one JSON line per row (scripts/bench.sh's format).
import { mkdirSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { call, launch, serve } from './page.mjs';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DEMO_DIST = process.env.LOCALFUL_BENCH_DEMO_DIST ? path.resolve(process.env.LOCALFUL_BENCH_DEMO_DIST) : null;
const EXAMPLE_DIST = process.env.LOCALFUL_BENCH_EXAMPLE_DIST ? path.resolve(process.env.LOCALFUL_BENCH_EXAMPLE_DIST) : null;
const OUT = path.resolve(process.env.LOCALFUL_BENCH_OUT ?? path.join(ROOT, 'target/bench/browser.jsonl'));
const QUICK = process.env.LOCALFUL_BENCH_QUICK === '1'; // fewer rounds, for trying the runner out
// LOCALFUL_BENCH_ONLY=backup,unlock runs only those benchmarks (write, import, query, crossTab,
// unlock, backup, scale, sizes); all when unset.
const ONLY = process.env.LOCALFUL_BENCH_ONLY ? new Set(process.env.LOCALFUL_BENCH_ONLY.split(',')) : null;
const runs = (name) => !ONLY || ONLY.has(name);

const IMPORT_COUNT = 10_000;
const SCALE_COUNT = 100_000; // the scale rows: import and queries again at this size
const ITERATIONS = 600_000; // crypto::DEFAULT_ITERATIONS
const PASSWORD = 'a fairly long vault password';
const R = (full, quick) => (QUICK ? quick : full);

// ---- statistics and rows ----

const sorted = (xs) => [...xs].sort((a, b) => a - b);
/** The q-quantile (nearest rank) of `xs`. */
const quantile = (xs, q) => { const s = sorted(xs); return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]; };
const median = (xs) => quantile(xs, 0.5);
const round3 = (x) => (x === null || x === undefined ? null : Math.round(x * 1000) / 1000);

/**
 * Writes one row. `better` is 'lower' (times: ratio = ours/baseline must be <= max) or 'higher'
 * (throughputs: ours/baseline >= min); `limit` is the target ratio, or for absolute targets
 * `absolute: { max }`.
 */
function row({ section, metric, unit, ours, baselineName = null, baseline = null, target = null, limit = null, better = 'lower', absolute = null, note = '', missed = '' }) {
  const ratio = baseline ? ours / baseline : null;
  let met = null;
  if (absolute) met = ours < absolute.max;
  else if (ratio !== null && limit !== null) met = better === 'lower' ? ratio <= limit : ratio >= limit;
  // What a profile of this row showed, when its target is missed.
  if (met === false && missed) note = `${note}. Missed: ${missed}`;
  const line = { section, metric, unit, ours: round3(ours), baseline_name: baselineName, baseline: round3(baseline), ratio: round3(ratio), target, met, note };
  appendFileSync(OUT, `${JSON.stringify(line)}\n`);
  const vs = baseline !== null ? ` vs ${round3(baseline)} ${unit} (${baselineName}), ratio ${round3(ratio)}` : '';
  const verdict = met === null ? '' : met ? ' [met]' : ' [MISSED]';
  console.log(`${section} — ${metric}: ${round3(ours)} ${unit}${vs}${target ? `, target ${target}` : ''}${verdict}`);
}

// ---- the benchmarks ----

async function writeOne(page) {
  await call(page, 'suite.mjs', 'writeSetup');
  const count = R(40, 10);
  let offset = 0;
  for (const side of ['ours', 'plain']) { await call(page, 'suite.mjs', 'writeRound', { side, count: 20, offset }); offset += 20; } // warm-up
  const stats = { ours: { p50: [], p95: [] }, plain: { p50: [], p95: [] } };
  for (let r = 0; r < R(5, 2); r++) {
    for (const side of r % 2 ? ['plain', 'ours'] : ['ours', 'plain']) {
      const samples = await call(page, 'suite.mjs', 'writeRound', { side, count, offset });
      offset += count;
      stats[side].p50.push(quantile(samples, 0.5));
      stats[side].p95.push(quantile(samples, 0.95));
    }
  }
  const rounds = stats.ours.p50.length;
  for (const metric of ['p50', 'p95']) {
    row({ section: 'Write one item', metric, unit: 'ms', ours: median(stats.ours[metric]), baselineName: 'plain JS: WebCrypto + IndexedDB',
      baseline: median(stats.plain[metric]), target: '<= 1.5x baseline', limit: 1.5,
      note: `create of a ~1 KiB note (encrypt, one transaction of 2 rows, change event); ${count} writes per round, median of ${rounds} rounds`,
      missed: 'the p95 of 40 writes is their 3rd slowest: it follows the machine\'s load (other builds share the 2 cores). '
        + 'A create writes the same two rows as the baseline, without a read first since 2026-12-02 (Store::insert_items: '
        + 'add requests only); before, the read of a read-modify-write was one more round trip to be delayed' });
  }
}

async function importMany(page) {
  const count = R(IMPORT_COUNT, 2000);
  for (const side of ['ours', 'plain', 'dexie']) await call(page, 'suite.mjs', 'importRound', { side, count: 1000, round: `warm-${side}`, keep: false });
  const ms = { ours: [], plain: [], dexie: [] };
  const rounds = R(3, 1);
  const orders = [['ours', 'plain', 'dexie'], ['plain', 'dexie', 'ours'], ['dexie', 'ours', 'plain']];
  for (let r = 0; r < rounds; r++) {
    for (const side of orders[r % 3]) {
      ms[side].push(await call(page, 'suite.mjs', 'importRound', { side, count, round: r, keep: r === rounds - 1 }));
    }
  }
  const rate = (side) => count / (median(ms[side]) / 1000);
  const note = `${count} ~1 KiB notes; ours: one VaultHandle::create_many; baselines: WebCrypto, 1 000 per transaction; median of ${rounds} rounds`;
  const missed = 'CPU profiles (tests/js/bench/profile.mjs import, 3 imports of 3 000 notes a side, 2026-12-06): ours 1 371 ms '
    + 'against Dexie 1 083 in one run, 1 615 against 1 603 in the next: the spread between runs is as large as the gap. In both, '
    + 'IndexedDB add is 20-23 % of ours (about 60 µs a request) against Dexie\'s put 25 % (about 47 µs), idle 39-49 % on both '
    + 'sides, AES-GCM in wasm about 4 %, building the rows (wasm-bindgen glue) under 1 %. Our rows are bigger (base64 envelope '
    + 'in JSON, two index entries against one), but a plain-JS probe in the same Chromium (10 000 notes in one transaction, CPU '
    + 'time of every Chromium process, 4 rounds) measured our row shapes at 3.9-4.5 s, binary ciphertext 3.8-4.5 s and '
    + 'Dexie-shaped rows 3.7-4.3 s: no difference above the spread, so the binary-ciphertext storage format proposed on '
    + '2026-12-03 would not close it and is not done. Also tried on 2026-12-03 and reverted: sealing each note while the '
    + 'transaction stores the ones before it (0.97-1.20x Dexie either way). What is ours is the CPU the main thread spends '
    + 'beside the requests (AES in wasm where the baselines use WebCrypto\'s threads, JSON, ids): a few per cent';
  row({ section: 'Import 10 000 items', metric: 'throughput', unit: 'items/s', ours: rate('ours'), baselineName: 'plain JS: batched transactions',
    baseline: rate('plain'), target: '>= 0.7x baseline', limit: 0.7, better: 'higher', note, missed });
  row({ section: 'Import 10 000 items', metric: 'throughput vs Dexie', unit: 'items/s', ours: rate('ours'), baselineName: 'Dexie.js 4.4.7 bulkPut',
    baseline: rate('dexie'), target: '>= 1.1x baseline (ahead of Dexie)', limit: 1.1, better: 'higher', note, missed });
  return count;
}

async function query(page, count) {
  // What CPU profiles (CDP) of our side showed.
  const indexMissed = 'the index\'s item rows hold their current versions (row format 3), so the scan is the one read, and the 100 '
    + 'are decrypted together through WebCrypto, as the baseline does. Before row format 3 a CPU profile (tests/js/bench/profile.mjs '
    + 'bucket, 40 queries) showed idle 33 % (plain 44 %), browser-internal 22 %, the 100 version gets 12 %. The ratio moves with '
    + 'the machine\'s load (0.65-1.6x in runs of the same code on 2026-12-08)';
  // Cold: the vault handle's decrypted values are forgotten before each of our rounds, so every
  // version is decrypted as on a first read (plain JS keeps nothing either); the targets are the
  // cold figures. Warm: a re-run of the same query, as a live query re-runs, served from them.
  const warmNote = 'the same query again on the same vault handle, whose decrypted values (versions never change) it reuses';
  for (const [kind, rounds, section, limit, what, missed, warm] of [
    ['bucket', R(9, 3), 'Query 10 000 items: indexed field (1 %), cold', 1.3, 'bucket = 42 through the index: 100 rows read and decrypted', indexMissed, false],
    ['bucket', R(9, 3), 'Query 10 000 items: indexed field (1 %), warm', null, `bucket = 42 through the index; ${warmNote}`, '', true],
    ['page', R(9, 3), 'Query 10 000 items: first page of 20 by an indexed field, cold', null,
      'the 20 notes with the greatest bucket: ours reads every item row of the collection (the order is taken from their exposed '
      + 'fields, no data decrypted), then decrypts the 20; the baseline walks the bucket index backwards with a cursor and stops '
      + 'after 20 rows (reported, no target: ours does not read an index in order yet)', '', false],
    ['body', R(5, 2), 'Query 10 000 items: data filter (decrypt all), warm', null, `body contains a word; ${warmNote}`, '', true],
    ['body', R(5, 2), 'Query 10 000 items: data filter (decrypt all), cold', 1.5, 'body contains a word: every note decrypted, 1 % match',
      'ours reads every candidate\'s current version with its item row in the scan\'s one getAll (row format 3), then decrypts '
      + 'them 512 at a time through WebCrypto. Decrypting all 10 000 at once instead was within the spread (1.85-1.89x against '
      + '1.91-1.94x of the one-getAll scan, alternating, 2026-12-08). Before row format 3, a CPU profile of 4 cold queries '
      + '(tests/js/bench/profile.mjs body with LOCALFUL_PROFILE_COLD=1) showed wasm-bindgen\'s JS glue 14 % (the promise '
      + 'callbacks of 10 000 decryptions), WebCrypto\'s decrypt calls 11 %, copying the base64 envelope strings into wasm 5 %, '
      + 'base64 and JSON in wasm 2 %. Left: binary version records (no strings into wasm, no base64), fewer promise round trips '
      + '(a batch handed to JavaScript in one call)', false],
  ]) {
    // The cold data filter also beside plain JS's fastest scan: one getAll of every version.
    const sides = kind === 'body' && !warm ? ['ours', 'plain', 'scan'] : ['ours', 'plain'];
    for (const side of sides) await call(page, 'suite.mjs', 'queryRound', { side, kind, cold: !warm }); // warm-up
    const ms = { ours: [], plain: [], scan: [] };
    const found = {};
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 ? [...sides].reverse() : sides) {
        const result = await call(page, 'suite.mjs', 'queryRound', { side, kind, cold: !warm });
        ms[side].push(result.ms);
        found[side] = result.found;
      }
    }
    if (sides.some((side) => found[side] !== found.ours)) throw new Error(`${kind} query: found ${JSON.stringify(found)}`);
    row({ section, metric: 'time', unit: 'ms', ours: median(ms.ours), baselineName: 'plain JS: IndexedDB + WebCrypto decrypt', baseline: median(ms.plain),
      target: limit === null ? null : `<= ${limit}x baseline`, limit, note: `${what} (${found.ours} found of ${count}); median of ${rounds} rounds`, missed });
    if (sides.includes('scan')) {
      row({ section, metric: 'time vs one getAll', unit: 'ms', ours: median(ms.ours), baselineName: 'plain JS: one getAll of every version + WebCrypto decrypt, all at once',
        baseline: median(ms.scan), target: '<= 2x baseline', limit: 2, note: `${what}; the baseline reads every version row with one getAll (one version per item here) and decrypts them all at once; median of ${rounds} rounds`, missed });
    }
  }
}

async function crossTab(context, page, url) {
  const setup = await call(page, 'suite.mjs', 'crossSetup', { count: 100 });
  const viewer = await context.newPage();
  const params = new URLSearchParams({ view: setup.vault, app: APP, password: PASSWORD });
  await viewer.goto(`${url}/?${params}`);
  await viewer.waitForSelector(`#n-${setup.probe}`, { timeout: 60_000 });
  await call(viewer, 'plain-view.mjs', 'start', setup.plain);
  const visibility = await viewer.evaluate(() => document.visibilityState);
  const element = { ours: `n-${setup.probe}`, plain: `p-${setup.plainProbe}` };
  const sample = async (side, title) => {
    await viewer.evaluate(([id, text]) => import('/js/probe.mjs').then((m) => m.arm(id, text)), [element[side], title]);
    const start = await call(page, 'suite.mjs', 'crossWrite', { side, title });
    const end = await viewer.evaluate(() => window.__probe);
    return end - start;
  };
  let n = 0;
  for (const side of ['ours', 'plain']) for (let i = 0; i < 5; i++) await sample(side, `warm ${n++}`);
  const stats = { ours: { p50: [], p95: [] }, plain: { p50: [], p95: [] } };
  const count = R(12, 5);
  for (let r = 0; r < R(5, 2); r++) {
    for (const side of r % 2 ? ['plain', 'ours'] : ['ours', 'plain']) {
      const samples = [];
      for (let i = 0; i < count; i++) samples.push(await sample(side, `probe ${n++}`));
      stats[side].p50.push(quantile(samples, 0.5));
      stats[side].p95.push(quantile(samples, 0.95));
    }
  }
  await viewer.close();
  const rounds = stats.ours.p50.length;
  const note = `update in tab A to the <li> in tab B (MutationObserver): ours via localful-yew use_query (the first event after a quiet spell re-runs the query of 100 notes at once; their values decrypted before are reused, so only the new version is decrypted); baseline reads the one changed item; ${count} writes per round, median of ${rounds} rounds; viewer tab ${visibility}`;
  const missed = 'a CPU profile of the viewer tab before the re-run went immediate was 55 % idle: the 16 ms debounce of use_query, then two '
    + 'IndexedDB transactions (scan the 100 rows, read their 100 versions); decrypting and rendering under 10 %. The baseline reads one '
    + 'item. Round trips and timers stretch with load: other builds shared the 2 cores in the runs so far';
  row({ section: 'Write in one tab to DOM in another', metric: 'p50', unit: 'ms', ours: median(stats.ours.p50), baselineName: 'plain JS: write + BroadcastChannel + read + DOM',
    baseline: median(stats.plain.p50), target: 'p50 <= 16 ms (one frame)', absolute: { max: 16.0001 }, note, missed });
  row({ section: 'Write in one tab to DOM in another', metric: 'p95', unit: 'ms', ours: median(stats.ours.p95), baselineName: 'plain JS: write + BroadcastChannel + read + DOM',
    baseline: median(stats.plain.p95), target: 'p95 <= 33 ms', absolute: { max: 33.0001 }, note, missed });
}

async function unlock(page) {
  for (const side of ['ours', 'plain']) await call(page, 'suite.mjs', 'unlockRound', { side, iterations: ITERATIONS }); // warm-up
  const ms = { ours: [], plain: [] };
  const rounds = R(5, 2);
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 ? ['plain', 'ours'] : ['ours', 'plain']) ms[side].push(await call(page, 'suite.mjs', 'unlockRound', { side, iterations: ITERATIONS }));
  }
  row({ section: 'Unlock', metric: 'time', unit: 'ms', ours: median(ms.ours), baselineName: 'WebCrypto PBKDF2 deriveBits', baseline: median(ms.plain),
    target: '<= 1.2x baseline', limit: 1.2, note: `crypto::unlock (PBKDF2-HMAC-SHA256 600 000 rounds + key unwrap) vs deriveBits at 600 000; median of ${rounds} rounds` });
}

function wasmSizes() {
  if (!DEMO_DIST) { console.log('wasm size: skipped (LOCALFUL_BENCH_DEMO_DIST not set)'); return; }
  const files = readdirSync(DEMO_DIST).filter((f) => f.endsWith('_bg.wasm'));
  // The issue's targets for the gzipped shipped build, in KiB.
  const kinds = [['main app', (f) => !f.includes('worker'), 400], ['sync worker', (f) => f.includes('worker'), 350]];
  for (const [label, pick, max] of kinds) {
    const file = files.find(pick);
    if (!file) throw new Error(`no ${label} wasm in ${DEMO_DIST} (${files.join(', ')})`);
    const bytes = readFileSync(path.join(DEMO_DIST, file));
    const note = `${file}, trunk build --release of index.html, as the demo ships (profile wasm-release: opt-level z but 3 for the crypto, fat LTO; wasm-opt -Oz)`;
    row({ section: 'Demo wasm size', metric: `${label}, raw`, unit: 'KiB', ours: bytes.length / 1024, note });
    row({ section: 'Demo wasm size', metric: `${label}, gzip -9`, unit: 'KiB', ours: gzipSync(bytes, { level: 9 }).length / 1024,
      target: `<= ${max} KiB`, absolute: { max: max + 0.0001 }, note: `${note}; node zlib level 9`,
      missed: 'what takes the space, by crate (twiggy), is in benches/README.md ("Wasm size"): most of it is our own code '
        + '(the IndexedDB store, derived Deserialize impls of the wire messages, the sync engine\'s futures), yew and the generic '
        + 'code of core they instantiate' });
  }
  if (!EXAMPLE_DIST) { console.log('README example size: skipped (LOCALFUL_BENCH_EXAMPLE_DIST not set)'); return; }
  const file = readdirSync(EXAMPLE_DIST).find((f) => f.endsWith('_bg.wasm'));
  if (!file) throw new Error(`no wasm in ${EXAMPLE_DIST}`);
  const bytes = readFileSync(path.join(EXAMPLE_DIST, file));
  const note = `${file}: examples/local-notes, the README's "Use it in a Yew app", as a user following the README ships it (its own project, with the release profile the README shows: opt-level z, fat LTO, one codegen unit, the encryption crates at opt-level 3; trunk build --release, trunk's default wasm-opt). Before that profile, with cargo's default release profile (opt-level 3 without LTO): 518 KiB gzipped in the run of 2026-12-07`;
  row({ section: 'README example wasm size', metric: 'raw', unit: 'KiB', ours: bytes.length / 1024, note });
  row({ section: 'README example wasm size', metric: 'gzip -9', unit: 'KiB', ours: gzipSync(bytes, { level: 9 }).length / 1024, note: `${note}; node zlib level 9` });
}

/**
 * The import and query rows again at 100 000 items, so that users see how the cost grows: one
 * import a side (ours, plain JS, Dexie) and the cold queries on it, in a page of its own (its
 * wasm memory holds the 100 000 documents). No targets: these rows show the scale.
 */
async function scale(context, url) {
  const count = R(SCALE_COUNT, 10_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  try {
    await page.goto(`${url}/`);
    await page.waitForFunction(() => window.wasmBindings?.createBench, null, { timeout: 60_000 });
    await call(page, 'suite.mjs', 'setup', { app: `${APP}-scale`, password: PASSWORD, count });
    const ms = {};
    for (const side of ['ours', 'plain', 'dexie']) {
      ms[side] = await call(page, 'suite.mjs', 'importRound', { side, count, round: 'scale', keep: side !== 'dexie' });
    }
    const rate = (side) => count / (ms[side] / 1000);
    const label = count.toLocaleString('en-US').replace(/,/g, ' ');
    const section = `Import ${label} items`;
    const note = `${count} ~1 KiB notes in one page of their own; ours: one VaultHandle::create_many; baselines: WebCrypto, 1 000 per transaction; one round`;
    row({ section, metric: 'throughput', unit: 'items/s', ours: rate('ours'), baselineName: 'plain JS: batched transactions', baseline: rate('plain'), better: 'higher', note });
    row({ section, metric: 'throughput vs Dexie', unit: 'items/s', ours: rate('ours'), baselineName: 'Dexie.js 4.4.7 bulkPut', baseline: rate('dexie'), better: 'higher', note });
    for (const [kind, rounds, what] of [
      ['bucket', R(5, 2), 'indexed field (1 %), cold'],
      ['body', R(3, 1), 'data filter (decrypt all), cold'],
    ]) {
      const times = { ours: [], plain: [] };
      const found = {};
      for (let r = 0; r < rounds; r++) {
        for (const side of r % 2 ? ['plain', 'ours'] : ['ours', 'plain']) {
          const result = await call(page, 'suite.mjs', 'queryRound', { side, kind, cold: true });
          times[side].push(result.ms);
          found[side] = result.found;
        }
      }
      if (found.ours !== found.plain) throw new Error(`${kind} query at scale: ours found ${found.ours}, plain JS ${found.plain}`);
      row({ section: `Query ${label} items: ${what}`, metric: 'time', unit: 'ms', ours: median(times.ours), baselineName: 'plain JS: IndexedDB + WebCrypto decrypt',
        baseline: median(times.plain), note: `as the 10 000-item row (${found.ours} found of ${count}); median of ${rounds} rounds` });
    }
    await call(page, 'suite.mjs', 'dropKept');
  } finally {
    await page.close();
  }
}

// ---- main ----

const APP = `bench-${Date.now()}`;

/**
 * The encrypted backup of 10 000 items: export (VaultHandle::export_backup to a Blob) and
 * restore into fresh databases (verify, unlock, Database::restore_backup), each round in a page
 * of its own so its wasm memory (which never shrinks) shows that page's peak.
 */
async function backup(context, url) {
  const rounds = R(3, 1);
  const results = [];
  for (let r = 0; r < rounds; r++) {
    const page = await context.newPage();
    try {
      await page.goto(`${url}/`);
      await page.waitForFunction(() => window.wasmBindings?.createBench, null, { timeout: 60_000 });
      await call(page, 'suite.mjs', 'setup', { app: `${APP}-backup-${r}`, password: PASSWORD, count: R(IMPORT_COUNT, 2000) });
      results.push(await call(page, 'suite.mjs', 'backupRound', { round: r }));
    } finally {
      await page.close();
    }
  }
  const { items, bytes } = results[0];
  const mib = (b) => b / (1024 * 1024);
  const note = `${items} ~1 KiB notes, one version each; file ${mib(bytes).toFixed(1)} MiB; median of ${rounds} rounds, each in a fresh page`;
  const exportMs = median(results.map((x) => x.exportMs));
  const restoreMs = median(results.map((x) => x.restoreMs));
  row({ section: `Backup of ${items} items`, metric: 'export', unit: 'ms', ours: exportMs, note: `${note}; VaultHandle::export_backup into a Blob of parts` });
  row({ section: `Backup of ${items} items`, metric: 'restore', unit: 'ms', ours: restoreMs,
    note: `${note}; into fresh databases: a verifying read of the whole file, unlock (PBKDF2 600 000), a second read merged in batches of 250` });
  row({ section: `Backup of ${items} items`, metric: 'round trip', unit: 'ms', ours: exportMs + restoreMs, note });
  row({ section: `Backup of ${items} items`, metric: 'peak wasm memory', unit: 'MiB', ours: median(results.map((x) => mib(x.memoryAfter))),
    note: `the page's wasm linear memory after export and restore (it never shrinks: the peak), `
      + `${median(results.map((x) => mib(x.memoryBefore))).toFixed(1)} MiB before the export (after creating the items)` });
}

async function main() {
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, '');
  const { server, url } = await serve();
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${url}/`);
    await page.waitForFunction(() => window.wasmBindings?.createBench, null, { timeout: 60_000 });
    const info = await call(page, 'suite.mjs', 'setup', { app: APP, password: PASSWORD, count: IMPORT_COUNT });
    console.log(`${info.agent}; ${info.docs} documents of ~${Math.round(info.bytes)} bytes of JSON; page ${info.visibility}${QUICK ? '; QUICK' : ''}`);
    if (runs('write')) await writeOne(page);
    const count = runs('import') || runs('query') ? await importMany(page) : 0;
    if (runs('query')) await query(page, count);
    if (runs('crossTab')) await crossTab(browser.context, page, url);
    if (runs('unlock')) await unlock(page);
    if (runs('backup')) await backup(browser.context, url);
    if (runs('scale')) await scale(browser.context, url);
  } finally {
    await browser.close();
    server.close();
  }
  if (runs('sizes')) wasmSizes();
  console.log(`rows: ${OUT}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
