// "Remove this device's data" in Localful Notes, in headless Chromium: the account panel says
// what it costs, then deletes every vault database, the key store and the app's localStorage
// entries, and the app starts again as on a new device.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, launchBrowser, distDir, onboard, SCREENSHOTS } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const WAIT = { timeout: 30_000 };

let site, browser, page;

before(async () => {
  site = await serveDist(distDir());
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** The app's IndexedDB databases and localStorage keys in this profile. */
const leftovers = () => page.evaluate(async () => ({
  databases: (await indexedDB.databases()).map((d) => d.name).filter((n) => n.includes('localful')).sort(),
  keys: Object.keys(localStorage).filter((k) => k.includes('localful')).sort(),
}));

test('a local-only device removes its data after saying the notes cannot come back', async () => {
  await onboard(page, site.url, 'Shared laptop', PASSWORD);
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.getByLabel('Title').fill('Private thoughts');
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
  const before = await leftovers();
  assert.ok(before.databases.some((n) => n.includes('-vault-')), `a vault database exists (${before.databases})`);
  assert.ok(before.keys.includes('localful-notes:device-name'), `the device name is kept (${before.keys})`);

  await page.getByTestId('network').click();
  const panel = page.getByRole('dialog', { name: 'Account & sync' });
  await panel.getByRole('button', { name: 'Remove this device\'s data…' }).click();
  const forget = panel.getByTestId('forget-device');
  await forget.getByText('Nothing here is synced to a server, so these notes cannot be brought back.').waitFor(WAIT);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'forget-device-confirm.png') });
  // Cancel keeps everything.
  await forget.getByRole('button', { name: 'Cancel' }).click();
  await forget.getByRole('button', { name: 'Remove this device\'s data…' }).click();

  const reloaded = page.waitForEvent('load', WAIT);
  await forget.getByRole('button', { name: 'Delete everything from this browser' }).click();
  await reloaded;
  await page.getByRole('heading', { name: 'Welcome' }).waitFor(WAIT);
  const after = await leftovers();
  assert.deepEqual(after.databases.filter((n) => n.includes('-vault-') || n.includes('key-store')), [],
    `no vault database and no key store left (${after.databases})`);
  assert.deepEqual(after.keys.filter((k) => k.startsWith('localful-notes:')), [], `no preference left (${after.keys})`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'forget-device-after.png') });

  // The device starts over: a new vault has no trace of the old notes.
  await page.getByLabel('Device name').fill('Next owner');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Create your first vault' }).waitFor(WAIT);
});
