// The Dexie.js peer (npm `dexie`, served by the runner at /dexie/): the same documents, encrypted
// the same way as the plain-JS baseline, stored with `bulkPut` into the same two tables (items
// indexed by bucket, versions), one transaction per batch.
import Dexie from '/dexie/dexie.mjs';
import { seal } from './plain.mjs';

/** Opens (creating) Dexie database `name`. */
export async function dexieOpen(name) {
  const db = new Dexie(name);
  db.version(1).stores({ items: 'id, bucket', versions: '[item+id]' });
  await db.open();
  return db;
}

/** Imports `docs` into `db` with `key`, `batch` at a time; resolves to how many. */
export async function dexieImport(db, key, docs, batch = 1000) {
  for (let start = 0; start < docs.length; start += batch) {
    const chunk = docs.slice(start, start + batch);
    const sealed = await Promise.all(chunk.map((doc) => seal(key, doc)));
    const items = [];
    const versions = [];
    chunk.forEach((doc, i) => {
      const id = crypto.randomUUID();
      const version = crypto.randomUUID();
      items.push({ id, bucket: doc.bucket, created_at: Date.now(), version });
      versions.push({ item: id, id: version, ...sealed[i] });
    });
    await db.transaction('rw', db.items, db.versions, async () => {
      await db.items.bulkPut(items);
      await db.versions.bulkPut(versions);
    });
  }
  return docs.length;
}

/** Closes and deletes Dexie database `db`. */
export async function dexieDelete(db) {
  db.close();
  await Dexie.delete(db.name);
}
