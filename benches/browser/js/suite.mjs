// The page side of each benchmark: the runner (tests/js/bench/browser.mjs) calls these through
// page.evaluate, alternating our side (the wasm `Bench` on window.wasmBindings) and the
// baselines, and does the statistics. State lives in `S` between calls.
import { makeDocs, BUCKET, NEEDLE } from './docs.mjs';
import { PlainStore, importKey, deleteDb, pbkdf2 } from './plain.mjs';
import { dexieOpen, dexieImport, dexieDelete } from './dexie.mjs';

const S = (window.__bench ??= {});
const wasm = () => window.wasmBindings;
const now = () => performance.now();
const randomKey = () => crypto.getRandomValues(new Uint8Array(32));

/** The documents (`count` notes), keys and names every later call uses. */
export async function setup({ app, password, count }) {
  Object.assign(S, { app, password, docs: makeDocs(count), channel: `plain:${app}:events` });
  S.json = JSON.stringify(S.docs);
  S.key = await importKey(randomKey());
  return { docs: S.docs.length, bytes: S.json.length / S.docs.length, visibility: document.visibilityState, agent: navigator.userAgent };
}

/** A new vault of ours in app `S.app`, holding the documents' JSON for later calls. */
async function ourVault(name, docs = S.json) {
  const bench = await wasm().createBench(S.app, name, S.password);
  bench.setDocs(docs);
  return bench;
}

// ---- Write one item ----

/** Our vault and the plain database the writes go to. */
export async function writeSetup() {
  S.writes = { ours: await ourVault('writes'), plain: await PlainStore.open(`${S.app}-plain-writes`, S.key, S.channel) };
}

/** `count` single-item writes by `side`, of documents from `offset` on: each one's ms. */
export async function writeRound({ side, count, offset }) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const index = (offset + i) % S.docs.length;
    const start = now();
    if (side === 'ours') await S.writes.ours.create(index);
    else await S.writes.plain.write(S.docs[index]);
    samples.push(now() - start);
  }
  return samples;
}

// ---- Import 10 000 items ----

/**
 * Imports the first `count` documents into a fresh database by `side` ('ours', 'plain',
 * 'dexie'): ms. The database is opened before and kept for the queries when `keep`.
 */
export async function importRound({ side, count, round, keep }) {
  const docs = S.docs.slice(0, count);
  let ms;
  if (side === 'ours') {
    const bench = await ourVault(`import-${round}`, JSON.stringify(docs));
    const start = now();
    const written = await bench.createAll();
    ms = now() - start;
    if (written !== count) throw new Error(`ours imported ${written} of ${count}`);
    await replace('ours', bench, () => bench.delete(), keep);
  } else if (side === 'plain') {
    const name = `${S.app}-plain-import-${round}`;
    const store = await PlainStore.open(name, S.key, S.channel);
    const start = now();
    await store.importAll(docs);
    ms = now() - start;
    await replace('plain', store, async () => { store.close(); await deleteDb(name); }, keep);
  } else {
    const db = await dexieOpen(`${S.app}-dexie-import-${round}`);
    const start = now();
    await dexieImport(db, S.key, docs);
    ms = now() - start;
    await dexieDelete(db);
  }
  return ms;
}

/** Keeps `value` for the queries (dropping the one kept before), or drops it now. */
async function replace(side, value, drop, keep) {
  S.kept ??= {};
  if (!keep) return drop();
  if (S.kept[side]) await S.kept[side].drop();
  S.kept[side] = { value, drop };
}

/** Drops the kept imports (their databases deleted). */
export async function dropKept() {
  for (const kept of Object.values(S.kept ?? {})) await kept.drop();
  S.kept = {};
}

// ---- Query 10 000 encrypted items ----

/**
 * One query by `side` ('ours', 'plain', or 'scan': plain JS's one-getAll scan of every version,
 * for 'body') on the kept import: `kind` 'bucket' (index, 1 %), 'page' (a list's first page in
 * the order of an indexed field) or 'body' (decrypt all).
 * `cold`: ours first forgets the values its vault handle decrypted before (not timed).
 */
export async function queryRound({ side, kind, cold }) {
  // 'scan': plain JS's one-getAll scan of the versions, on its kept import.
  const target = S.kept[side === 'scan' ? 'plain' : side].value;
  if (cold && side === 'ours') target.forgetDecrypted();
  const start = now();
  const found = side === 'scan' ? await target.scanBody(NEEDLE)
    : kind === 'bucket' ? await target.queryBucket(BUCKET)
    : kind === 'page' ? await target.queryFirstPage(PAGE) : await target.queryBody(NEEDLE);
  return { ms: now() - start, found };
}

/** The length of the first page of a list (`kind` 'page'). */
const PAGE = 20;

// ---- Unlock ----

/** One unlock by `side`: ours is `crypto::unlock` of the write vault's key (600 000 rounds). */
export async function unlockRound({ side, iterations }) {
  const start = now();
  if (side === 'ours') {
    if (!(await S.writes.ours.unlock(S.password))) throw new Error('unlock gave a locked key');
  } else {
    await pbkdf2(S.password, crypto.getRandomValues(new Uint8Array(16)), iterations);
  }
  return now() - start;
}

// ---- A write in one tab to the DOM of another ----

/** The writing tab's vault and plain database of `count` notes, and the item each side edits. */
export async function crossSetup({ count }) {
  const docs = S.docs.slice(0, count);
  const ours = await ourVault('crosstab', JSON.stringify(docs));
  await ours.createAll();
  const probe = await ours.create(0);
  const raw = randomKey();
  const name = `${S.app}-plain-crosstab`;
  const channel = `${S.channel}-crosstab`;
  const plain = await PlainStore.open(name, await importKey(raw), channel);
  await plain.importAll(docs);
  const plainProbe = await plain.write(docs[0]);
  S.cross = { ours, probe, plain, plainProbe };
  return { vault: ours.vaultId, probe, plain: { name, channel, raw: Array.from(raw) }, plainProbe };
}

/** Writes `title` into the probed item by `side`; resolves to when the write started (epoch ms). */
export async function crossWrite({ side, title }) {
  const start = performance.timeOrigin + performance.now();
  if (side === 'ours') await S.cross.ours.update(S.cross.probe, 0, title);
  else await S.cross.plain.write({ ...S.docs[0], title }, S.cross.plainProbe);
  return start;
}

// ---- Backup export and restore ----

/**
 * One round of the backup row, in a page of its own (a fresh wasm instance): a vault of the
 * documents, exported to a Blob (VaultHandle::export_backup), then restored into fresh databases
 * (verify, unlock with the password, Database::restore_backup). Times both; the wasm memory
 * (which never shrinks) before the export and after the restore gives the page's peak wasm heap.
 */
export async function backupRound({ round }) {
  const bench = await ourVault(`backup-${round}`);
  const created = await bench.createAll();
  const memory = () => wasm().wasmMemoryBytes();
  const before = memory();
  const t0 = now();
  const blob = await bench.exportBackup();
  const exportMs = now() - t0;
  const t1 = now();
  const added = await wasm().Bench.restoreBackup(`${S.app}-restored-${round}`, S.password, blob);
  const restoreMs = now() - t1;
  const after = memory();
  if (added !== created) throw new Error(`restored ${added} of ${created} items`);
  await bench.delete();
  return { exportMs, restoreMs, bytes: blob.size, memoryBefore: before, memoryAfter: after, items: created };
}
