// What the sync e2e tests count: the version ids a device holds (read from the app's IndexedDB
// in the page) and the ones the server holds (its HTTP API, logged in from node).

import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';

/** The app salt of Localful's worker host (`localful_worker::host::APP_SALT`). */
const APP_SALT = 'localful';

/**
 * What the server sees instead of the account password, as the worker derives it
 * (`localful_core::crypto::server_password`): the second half, in hex, of the 512-bit
 * PBKDF2-HMAC-SHA256(password, email ‖ app salt, 100 000 iterations).
 */
export async function serverPassword(password, email, appSalt = APP_SALT) {
  const key = await promisify(pbkdf2)(password, `${email}${appSalt}`, 100_000, 64, 'sha256');
  return key.subarray(32).toString('hex');
}

/**
 * A client of the server's HTTP API for the account `email` / `accountPassword`. It logs in on
 * first use and again when the access token has expired (a 401), so it works against servers
 * with short token lifetimes.
 */
export function serverClient(url, email, accountPassword) {
  let token = null;
  let password = null;
  const login = async () => {
    password ??= await serverPassword(accountPassword, email);
    const answer = await fetch(`${url}/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
    });
    if (!answer.ok) throw new Error(`login failed: ${answer.status} ${await answer.text()}`);
    token = (await answer.json()).tokens.accessToken;
  };
  const get = async (route) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!token) await login();
      const answer = await fetch(`${url}${route}`, { headers: { authorization: `Bearer ${token}` } });
      if (answer.status === 401) { token = null; continue; }
      if (!answer.ok) throw new Error(`GET ${route}: ${answer.status} ${await answer.text()}`);
      return answer.json();
    }
    throw new Error(`GET ${route}: still unauthorized after logging in again`);
  };
  return {
    /** The JSON answer of `GET route` (a path under the server's URL). */
    get,
    /** The account's vaults (`GET /v1/vaults`). */
    vaults: async () => (await get('/v1/vaults')).results,
    /** The `seq` of the vault's last change (a cheap poll: one change-log entry at most). */
    latestSeq: async (vaultId) => (await get(`/v1/vaults/${vaultId}/changes?since=0&limit=1`)).meta.latestSeq ?? 0,
    /** The vault's version ids, sorted, a deleted one suffixed ` deleted` (`GET /snapshot`). */
    versions: async (vaultId) => {
      const snapshot = await get(`/v1/vaults/${vaultId}/snapshot`);
      return snapshot.versions.map((v) => (v.deletedAt ? `${v.id} deleted` : v.id)).sort();
    },
  };
}

/**
 * What `page`'s device holds, read straight from IndexedDB: every version id of every item (from
 * the item rows' version lists, tombstones included; sorted, a deleted one suffixed ` deleted`)
 * and how many outbox entries are still waiting for the server's ack.
 */
export function deviceVersions(page) {
  return page.evaluate(async () => {
    const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => /-vault-/.test(n));
    const versions = [];
    let pending = 0;
    for (const name of names) {
      const open = indexedDB.open(name);
      open.onupgradeneeded = () => open.transaction.abort(); // never create or change a database here
      const db = await request(open);
      try {
        if (!db.objectStoreNames.contains('items')) continue;
        const rows = await request(db.transaction('items').objectStore('items').getAll());
        for (const row of rows) {
          if (row.r !== undefined) {
            // The compact record (localful-core/src/store/item_record.rs): outbox `o`, versions
            // `v` as [id, createdAt, device, schemaVersion(, deletedAt)].
            const stored = JSON.parse(row.r);
            pending += (stored.o ?? []).length;
            for (const v of stored.v ?? []) versions.push(v.length > 4 ? `${v[0]} deleted` : v[0]);
          } else {
            const stored = JSON.parse(row.d); // rows of releases before 2026-12-03
            pending += stored.outbox.length;
            for (const v of stored.versions) versions.push(v.deleted_at ? `${v.id} deleted` : v.id);
          }
        }
      } finally {
        db.close();
      }
    }
    return { versions: versions.sort(), pending };
  });
}
