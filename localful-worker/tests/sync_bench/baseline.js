// The baseline of the initial-sync benchmark (tests/sync_bench.rs): plain JavaScript fetching the
// same `/v1/vaults/:id/changes` pages and writing the same rows (items, versions, the last seq) to
// IndexedDB, one transaction per page.

function openDb(name) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore("items", { keyPath: "id" });
      req.result.createObjectStore("versions", { keyPath: "id" });
      req.result.createObjectStore("meta");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function writePage(db, changes, seq) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(["items", "versions", "meta"], "readwrite");
    const items = tx.objectStore("items");
    const versions = tx.objectStore("versions");
    for (const c of changes) {
      if (c.item) items.put(c.item);
      if (c.version) versions.put(c.version);
    }
    tx.objectStore("meta").put(seq, "seq");
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/**
 * Pulls every change of `vault` from `base` into a new IndexedDB database `dbName`, `pageSize`
 * per request. Resolves `{ms, versions, fetchMs, decodeMs, writeMs}`.
 */
export async function plainSync(base, token, vault, pageSize, dbName) {
  const db = await openDb(dbName);
  const start = performance.now();
  let [since, latest, versions, fetchMs, decodeMs, writeMs] = [0, Infinity, 0, 0, 0, 0];
  while (since < latest) {
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/vaults/${vault}/changes?since=${since}&limit=${pageSize}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`changes: ${res.status} ${await res.text()}`);
    const text = await res.text();
    const t1 = performance.now();
    const page = JSON.parse(text);
    const t2 = performance.now();
    latest = page.meta.latestSeq;
    if (page.results.length === 0) break;
    since = page.results[page.results.length - 1].seq;
    await writePage(db, page.results, since);
    versions += page.results.filter((c) => c.version).length;
    const t3 = performance.now();
    [fetchMs, decodeMs, writeMs] = [fetchMs + t1 - t0, decodeMs + t2 - t1, writeMs + t3 - t2];
  }
  const ms = performance.now() - start;
  db.close();
  return { ms, versions, fetchMs, decodeMs, writeMs };
}
