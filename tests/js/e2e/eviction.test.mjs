// The browser clears the app's IndexedDB (as Chromium does to a non-persisted origin under
// storage pressure; the DevTools protocol clears exactly that, leaving localStorage): at the next
// start the demo says so. A vault that was only on this device is reported gone, with a backup
// restore offered; a synced vault is downloaded again from the server and opens with its notes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { serveDist, launchBrowser, distDir, onboard, startServer, SCREENSHOTS } from './harness.mjs';
import { PASSWORD, WAIT, newPage, newNote, noteButton, setUpLaptop, unlock } from './devices.mjs';
import { audit } from './axe.mjs';

const cleanup = [];
after(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
});

/** A browser on a profile directory kept between launches: one device, started again. */
function device() {
  const profile = mkdtempSync(path.join(tmpdir(), 'localful-evicted-'));
  cleanup.push(async () => rmSync(profile, { recursive: true, force: true }));
  return { launch: () => launchBrowser({ profile }) };
}

/**
 * Starts `dev`'s browser again with its IndexedDB cleared for `url`'s origin before the app runs
 * (nothing holds a connection to it), and opens the app. Returns the browser and page.
 */
async function restartEvicted(dev, url) {
  const browser = await dev.launch();
  cleanup.push(() => browser.close());
  const page = await newPage(browser);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(url).origin, storageTypes: 'indexeddb' });
  await page.goto(url);
  return { browser, page };
}

test('a vault that was only on this device is reported cleared, with a backup restore offered', async () => {
  const site = await serveDist(distDir());
  cleanup.push(() => site.close());
  const dev = device();
  const first = await dev.launch();
  const page = await newPage(first);
  await onboard(page, site.url, 'Laptop', PASSWORD);
  await newNote(page, 'Only here');
  await first.close();

  const { page: again } = await restartEvicted(dev, site.url);
  const notice = again.getByTestId('cleared-notice');
  await notice.waitFor(WAIT);
  // The vault's screen has nothing to show: the app is back at creating a first vault.
  await again.getByRole('heading', { name: 'Create your first vault' }).waitFor(WAIT);
  assert.match(await notice.textContent(), /This browser cleared the notes it kept for this app\./);
  assert.match(await notice.textContent(), /“Personal” was only on this device, so its notes are gone from this browser\. Restore it from a backup if you have one\./);
  await again.screenshot({ path: path.join(SCREENSHOTS, 'eviction-local.png') });
  await audit(again, 'the notice of a cleared vault');
  await notice.getByRole('button', { name: 'Restore from backup' }).click();
  await again.getByTestId('your-data').waitFor(WAIT);
  await again.getByRole('button', { name: 'Close' }).click();
  await notice.getByRole('button', { name: 'OK' }).click();
  await notice.waitFor({ state: 'detached', ...WAIT });
  // Dismissed: the next start says nothing more.
  await again.reload();
  await again.getByRole('heading', { name: 'Create your first vault' }).waitFor(WAIT);
  assert.equal(await notice.count(), 0);
});

test('a synced vault cleared from the browser is downloaded again from the server', async () => {
  const site = await serveDist(distDir());
  cleanup.push(() => site.close());
  const server = await startServer({
    LOCALFUL_ALLOWED_ORIGINS: site.url,
    LOCALFUL_AUTH_RATE_LIMIT: '10000', LOCALFUL_ARGON2_MEMORY_KIB: '1024', LOCALFUL_ARGON2_ITERATIONS: '1',
  });
  cleanup.push(() => server.stop());
  site.setProxy(server.url);
  const dev = device();
  const first = await dev.launch();
  const page = await newPage(first);
  await setUpLaptop(page, site.url); // onboards, writes "First note", registers, syncs "Personal"
  await first.close();

  const { page: again } = await restartEvicted(dev, site.url);
  const notice = again.getByTestId('cleared-notice');
  await notice.waitFor(WAIT);
  await notice.locator('li[data-back="true"]').filter({ hasText: '“Personal” was downloaded again from your sync server: unlock it to see your notes.' }).waitFor(WAIT);
  await again.screenshot({ path: path.join(SCREENSHOTS, 'eviction-synced.png') });
  await notice.getByRole('button', { name: 'OK' }).click();
  await again.getByRole('heading', { name: 'Your vaults' }).waitFor(WAIT);
  await again.getByRole('button', { name: /^Personal/ }).click();
  await unlock(again);
  await noteButton(again, 'First note').waitFor(WAIT).catch(async (e) => {
    await again.screenshot({ path: path.join(SCREENSHOTS, 'eviction-synced-failed.png') });
    const rows = await again.evaluate(async () => {
      const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      const out = [];
      for (const { name } of await indexedDB.databases()) {
        const db = await request(indexedDB.open(name));
        for (const store of db.objectStoreNames) out.push(`${name}/${store}: ${await request(db.transaction(store).objectStore(store).count())}`);
        if (db.objectStoreNames.contains('meta')) out.push(`meta: ${JSON.stringify(await request(db.transaction('meta').objectStore('meta').getAll()))}`);
        db.close();
      }
      return out.join('; ');
    });
    throw new Error(`${e.message}\nIndexedDB rows: ${rows}`);
  });
});
