// The plain-JavaScript baseline: what an app would write by hand for the same work as Localful —
// AES-256-GCM through WebCrypto with a CryptoKey (random 96-bit IV per message), IndexedDB with the
// same two rows per write (an item row with the indexed field, a version row with the ciphertext)
// in one transaction, and a BroadcastChannel post per write.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A promise of an IndexedDB request's result. */
export const request = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

/** A promise that the transaction committed. */
export const committed = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = () => reject(tx.error);
  tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
});

/** An AES-256-GCM CryptoKey from 32 raw bytes (not extractable). */
export const importKey = (raw) =>
  crypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);

/** The document as `{ iv, data }`: its JSON, encrypted. */
export async function seal(key, doc) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(JSON.stringify(doc)));
  return { iv, data };
}

/** The document a version row holds. */
export async function open(key, row) {
  return JSON.parse(decoder.decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: row.iv }, key, row.data)));
}

/** Opens (creating) database `name`: `items` (keyed by id, indexed by bucket) and `versions`. */
export function openDb(name) {
  const req = indexedDB.open(name, 1);
  req.onupgradeneeded = () => {
    const db = req.result;
    db.createObjectStore('items', { keyPath: 'id' }).createIndex('bucket', 'bucket');
    db.createObjectStore('versions', { keyPath: ['item', 'id'] });
  };
  return request(req);
}

/** Deletes database `name`. */
export const deleteDb = (name) => request(indexedDB.deleteDatabase(name));

const rows = (id, doc, sealed) => {
  const version = crypto.randomUUID();
  return [{ id, bucket: doc.bucket, created_at: Date.now(), version }, { item: id, id: version, ...sealed }];
};

/** One database of encrypted notes and its change channel. */
export class PlainStore {
  constructor(db, key, channel) { Object.assign(this, { db, key, channel }); }

  /** Opens database `name` with `key` (a CryptoKey), posting changes on channel `channelName`. */
  static async open(name, key, channelName) {
    return new PlainStore(await openDb(name), key, new BroadcastChannel(channelName));
  }

  /** Writes `doc` as item `id` (new, or a new version): encrypt, one transaction, one post. */
  async write(doc, id = crypto.randomUUID()) {
    const sealed = await seal(this.key, doc);
    const tx = this.db.transaction(['items', 'versions'], 'readwrite');
    const [item, version] = rows(id, doc, sealed);
    tx.objectStore('items').put(item);
    tx.objectStore('versions').put(version);
    await committed(tx);
    this.channel.postMessage({ ids: [id] });
    return id;
  }

  /** Imports `docs`: encrypted `batch` at a time, one transaction per batch, one post per batch. */
  async importAll(docs, batch = 1000) {
    for (let start = 0; start < docs.length; start += batch) {
      const chunk = docs.slice(start, start + batch);
      const sealed = await Promise.all(chunk.map((doc) => seal(this.key, doc)));
      const tx = this.db.transaction(['items', 'versions'], 'readwrite');
      const items = tx.objectStore('items');
      const versions = tx.objectStore('versions');
      const ids = [];
      chunk.forEach((doc, i) => {
        const [item, version] = rows(crypto.randomUUID(), doc, sealed[i]);
        items.put(item);
        versions.put(version);
        ids.push(item.id);
      });
      await committed(tx);
      this.channel.postMessage({ ids });
    }
    return docs.length;
  }

  /** The documents of items `items` (rows), read in transaction `tx` and decrypted. */
  async documents(tx, items) {
    const versions = tx.objectStore('versions');
    const found = await Promise.all(items.map((item) => request(versions.get([item.id, item.version]))));
    return Promise.all(found.map((row) => open(this.key, row)));
  }

  /** The notes of `bucket`, through the index: how many. */
  async queryBucket(bucket) {
    const tx = this.db.transaction(['items', 'versions']);
    const items = await request(tx.objectStore('items').index('bucket').getAll(bucket));
    return (await this.documents(tx, items)).length;
  }

  /** The `limit` notes with the greatest bucket, as an app with an index reads a list's first
   * page: a cursor walking the bucket index backwards, stopped after `limit` rows. How many. */
  async queryFirstPage(limit) {
    const tx = this.db.transaction(['items', 'versions']);
    const items = [];
    await new Promise((resolve, reject) => {
      const cursor = tx.objectStore('items').index('bucket').openCursor(null, 'prev');
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at || items.length >= limit) return resolve();
        items.push(at.value);
        at.continue();
      };
    });
    return (await this.documents(tx, items)).length;
  }

  /** The notes whose body contains `word` (every note decrypted): how many. */
  async queryBody(word) {
    const tx = this.db.transaction(['items', 'versions']);
    const items = await request(tx.objectStore('items').getAll());
    return (await this.documents(tx, items)).filter((doc) => doc.body.includes(word)).length;
  }

  /** As `queryBody`, the fastest way plain JS has: every version row read by one `getAll`, all
   * decrypted at once (this database holds one version per item). */
  async scanBody(word) {
    const tx = this.db.transaction('versions');
    const rows = await request(tx.objectStore('versions').getAll());
    return (await Promise.all(rows.map((row) => open(this.key, row)))).filter((doc) => doc.body.includes(word)).length;
  }

  /** The document of item `id` (one read transaction). */
  async get(id) {
    const tx = this.db.transaction(['items', 'versions']);
    const item = await request(tx.objectStore('items').get(id));
    return (await this.documents(tx, [item]))[0];
  }

  /** Every item id with its document (for a viewer's first render). */
  async all() {
    const tx = this.db.transaction(['items', 'versions']);
    const items = await request(tx.objectStore('items').getAll());
    const docs = await this.documents(tx, items);
    return items.map((item, i) => ({ id: item.id, doc: docs[i] }));
  }

  close() { this.db.close(); this.channel.close(); }
}

/** WebCrypto's own PBKDF2-HMAC-SHA256: `iterations` rounds of `password` into 256 bits. */
export async function pbkdf2(password, salt, iterations) {
  const base = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  return crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256);
}
