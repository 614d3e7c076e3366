// What the soak compares at the end, read where it lives: a device's vault straight from its
// IndexedDB (item rows with their version lists, outbox and current version, version rows with the
// encrypted data of the others),
// the server's through its HTTP API (snapshot and version listing). Both are brought to one shape,
// a "holding", so `compareHoldings` (pure) can say what differs; `openData` decrypts a version's
// data in node with the vault password (the spec-v1 envelope), to compare content, not only ids.
import { createDecipheriv, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * A holding: `items` maps an item id to `{ deleted, current, outbox }` (`current`: the current
 * version id the holder names, `null` if none; `outbox`: pending entries, 0 on the server), and
 * `versions` maps a version id to `{ item, device, createdAt, deleted, data }` (`data`: the
 * encrypted envelope of a live version, when read with data).
 */

/**
 * What `page`'s device holds of its vaults, from IndexedDB (the layout of
 * localful-core/src/store/indexed_db: item rows `{id, r, vid, v}` with the compact record of
 * item_record.rs and the current version they hold (`vid`, its id; `v`, its record), version rows
 * `{item, id, d}` for the others). With `data`, the version rows are read too.
 */
export async function deviceHolding(page, { data = false, timeout = 30_000 } = {}) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reading the device's IndexedDB did not finish within ${timeout / 1000} s`)), timeout);
  });
  const raw = await Promise.race([late, readDatabases(page, data)]).finally(() => clearTimeout(timer));
  return toHolding(raw);
}

/** The raw item rows (and with `withData` the version rows) of every vault database of `page`'s origin. */
function readDatabases(page, withData) {
  return page.evaluate(async (withData) => {
    const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => /-vault-/.test(n));
    const items = [];
    const versions = [];
    for (const name of names) {
      const open = indexedDB.open(name);
      open.onupgradeneeded = () => open.transaction.abort(); // never create or change a database here
      const db = await request(open);
      try {
        if (!db.objectStoreNames.contains('items')) continue;
        const stores = withData ? ['items', 'versions'] : ['items'];
        const tx = db.transaction(stores); // one transaction: rows consistent with each other
        const [itemRows, versionRows] = await Promise.all(stores.map((s) => request(tx.objectStore(s).getAll())));
        for (const row of itemRows) items.push({ id: row.id, r: row.r ?? null, vid: row.vid, v: withData ? row.v : undefined });
        for (const row of versionRows ?? []) versions.push({ item: row.item, id: row.id, d: row.d });
      } finally {
        db.close();
      }
    }
    return { items, versions };
  }, withData);
}

/** The holding of the rows read by readDatabases. */
function toHolding(raw) {
  const holding = { items: {}, versions: {} };
  for (const row of raw.items) {
    if (row.r === null) throw new Error(`item row ${row.id} is not in the compact layout this probe reads`);
    const record = JSON.parse(row.r);
    const outbox = record.o ?? [];
    holding.items[row.id] = { deleted: record.x !== undefined, current: record.cv ?? null, outbox: outbox.length };
    // Outbox entries are serde's external tagging: {"Item": id} or {"Version": [item, version]}.
    const pendingVersions = new Set(outbox.filter((e) => e.Version).map((e) => e.Version[1]));
    for (const [id, createdAt, device, , deletedAt] of record.v ?? []) {
      holding.versions[id] = { item: row.id, device, createdAt, deleted: deletedAt !== undefined, pending: pendingVersions.has(id) };
    }
  }
  // The data: of the version an item row holds, and of those in the versions store.
  const withData = raw.items.filter((row) => row.vid && row.v).map((row) => ({ id: row.vid, d: row.v }));
  for (const row of [...withData, ...raw.versions]) {
    const version = holding.versions[row.id];
    const record = JSON.parse(row.d);
    if (version && record.protected_data) version.data = record.protected_data;
  }
  return holding;
}

/**
 * What the server holds of vault `vaultId`, through `api` (sync-probe.mjs's serverClient): the
 * snapshot's items and versions, and with `data` every version's encrypted data (GET /v1/versions,
 * in pages). `current` is the live version with the greatest (createdAt, id): the server keeps no
 * current version, this is the rule every device applies (SPEC: last write wins).
 */
export async function serverHolding(api, vaultId, { data = false } = {}) {
  const snapshot = await api.get(`/v1/vaults/${vaultId}/snapshot`);
  const holding = { items: {}, versions: {}, protectedKey: snapshot.vault.protectedEncryptionKey };
  for (const item of snapshot.items) holding.items[item.id] = { deleted: item.deletedAt != null, current: null, outbox: 0 };
  for (const v of snapshot.versions) {
    holding.versions[v.id] = { item: v.itemId, createdAt: v.createdAt, deleted: v.deletedAt != null };
  }
  if (data) {
    const LIMIT = 1000; // the server's largest page
    for (let offset = 0; ; offset += LIMIT) {
      const page = await api.get(`/v1/versions?vaultId=${vaultId}&limit=${LIMIT}&offset=${offset}`);
      for (const v of page.results) {
        const version = holding.versions[v.id];
        if (!version) continue; // written after the snapshot: the next comparison sees it
        version.device = v.deviceName;
        if (v.protectedData && !version.deleted) version.data = v.protectedData;
      }
      if (page.results.length < LIMIT) break;
    }
  }
  for (const [itemId, item] of Object.entries(holding.items)) {
    if (!item.deleted) item.current = lastWriteWins(holding.versions, itemId);
  }
  return holding;
}

/** The id of item `itemId`'s live version with the greatest (createdAt, id), or null. */
export function lastWriteWins(versions, itemId) {
  let best = null;
  for (const [id, v] of Object.entries(versions)) {
    if (v.item !== itemId || v.deleted) continue;
    const key = [Date.parse(v.createdAt), id];
    if (!best || key[0] > best[0] || (key[0] === best[0] && key[1] > best[1])) best = key;
  }
  return best?.[1] ?? null;
}

/** The version ids of `holding`, sorted, a deleted one suffixed ` deleted` (as sync-probe.mjs). */
export const versionIds = (holding) =>
  Object.entries(holding.versions).map(([id, v]) => (v.deleted ? `${id} deleted` : id)).sort();

/** How many outbox entries `holding` still has. */
export const pendingCount = (holding) => Object.values(holding.items).reduce((n, i) => n + i.outbox, 0);

/**
 * What differs between the holdings `{ name: holding }` (the first is the reference): item ids and
 * their deletion, version ids and their deletion, current versions, each live version's encrypted
 * data (versions are immutable: the same id must carry the same bytes), and outbox entries left.
 * Returns a list of plain sentences, empty when they all agree.
 */
export function compareHoldings(holdings) {
  const problems = [];
  const [[refName, ref], ...others] = Object.entries(holdings);
  const only = (x, y) => x.filter((id) => !y.has(id));
  const sample = (list) => `${list.slice(0, 5).join(', ')}${list.length > 5 ? ', …' : ''}`;
  for (const [name, h] of [[refName, ref], ...others]) {
    const pending = pendingCount(h);
    if (pending) problems.push(`${name} has ${pending} outbox entries left`);
  }
  for (const [name, h] of others) {
    for (const [what, key] of [['items', (x) => Object.entries(x.items).map(([id, i]) => (i.deleted ? `${id} deleted` : id))],
      ['versions', versionIds]]) {
      const [a, b] = [key(ref), key(h)];
      const [setA, setB] = [new Set(a), new Set(b)];
      const onlyRef = only(a, setB);
      const onlyOther = only(b, setA);
      if (onlyRef.length || onlyOther.length) {
        problems.push(`${what}: ${refName} holds ${a.length}, ${name} ${b.length}; only on ${refName}: [${sample(onlyRef)}]; only on ${name}: [${sample(onlyOther)}]`);
      }
    }
    for (const [id, item] of Object.entries(ref.items)) {
      const there = h.items[id];
      if (there && !item.deleted && !there.deleted && there.current !== item.current) {
        problems.push(`item ${id}: current version ${item.current} on ${refName}, ${there.current} on ${name}`);
      }
    }
    for (const [id, v] of Object.entries(ref.versions)) {
      const there = h.versions[id];
      if (!there || v.deleted || there.deleted) continue;
      if (v.data === undefined || there.data === undefined) {
        problems.push(`version ${id} is live but its data is missing on ${v.data === undefined ? refName : name}`);
      } else if (v.data !== there.data) {
        problems.push(`version ${id} has different data on ${refName} and ${name}`);
      }
    }
  }
  return problems;
}

/** The 32-byte database key of a vault: its protected key (spec-v1 envelope) opened with `password`. */
export async function vaultKey(protectedKey, password) {
  const { metadata, ciphertext } = envelope(protectedKey);
  const salt = Buffer.from(metadata.salt, 'base64');
  const iterations = metadata.iterations ?? 100_000; // the spec's value when the metadata has none
  const unlock = await promisify(pbkdf2)(password, salt, iterations, 32, 'sha256');
  const key = decrypt(unlock, metadata, ciphertext);
  if (key.length !== 32) throw new Error(`the protected key holds ${key.length} bytes, not 32`);
  return key;
}

/** The item data (parsed JSON) of a version's encrypted `data`, opened with the vault's `key`. */
export function openData(key, data) {
  const { metadata, ciphertext } = envelope(data);
  return JSON.parse(decrypt(key, metadata, ciphertext).toString('utf8'));
}

/** `v1:<base64 JSON metadata>:<base64 ciphertext‖tag>` (localful-core/src/crypto/envelope.rs). */
function envelope(text) {
  const [version, metadata, ciphertext, ...rest] = text.split(':');
  if (version !== 'v1' || ciphertext === undefined || rest.length) throw new Error('not a spec-v1 envelope');
  return { metadata: JSON.parse(Buffer.from(metadata, 'base64').toString('utf8')), ciphertext: Buffer.from(ciphertext, 'base64') };
}

function decrypt(key, metadata, sealed) {
  const TAG = 16;
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(metadata.iv, 'base64'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG)), decipher.final()]);
}
