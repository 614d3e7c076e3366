// Two browser profiles as two devices of one account (a laptop and a phone, each on its own
// origin with its own proxy to ONE real localful-server), the demo app in each, and what the sync
// e2e tests do with them: write notes, count versions on both devices and the server.
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, startServer, launchBrowser, distDir, onboard, eventually, SCREENSHOTS } from './harness.mjs';
import { serverClient, deviceVersions } from './sync-probe.mjs';

export const PASSWORD = 'correct horse battery staple';
export const EMAIL = 'grace@example.com';
export const ACCOUNT_PASSWORD = 'an account passphrase';
export const WAIT = { timeout: 30_000 };
/** The demo's editor saves a version this long after typing pauses (demo/src/components/editor.rs). */
export const SAVE_DELAY_MS = 500;
/** SyncConfig::default() (localful-core/src/sync/config.rs), which the demo's worker uses. */
export const PUSH_BATCH = 100;
/**
 * The pull page of the paged-pull test: smaller than SyncConfig's (1000, the server's maximum),
 * so that test rewrites the phone's `/changes?limit=` to it at the proxy, and the phone must
 * page through short pages.
 */
export const PULL_PAGE = 200;

export const saved = (page) => page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
export const noteButton = (page, title) => page.getByTestId('note-list').getByRole('button', { name: new RegExp(`^${title}`) });
export const badge = (page, text) => page.getByTestId('network').filter({ hasText: text }).waitFor(WAIT);
export const shot = (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

/** Reports `what` took since the last mark (or the start) as a TAP diagnostic of test `t`. */
export function stopwatch(t) {
  let last = Date.now();
  return (what) => {
    const now = Date.now();
    t.diagnostic(`${what}: ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };
}

/** Uncaught errors of every page (a panic in the app's wasm is one). */
export const pageErrors = [];

export async function newPage(browser, url) {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  await page.setViewportSize({ width: 1280, height: 800 });
  if (url) await page.goto(url);
  return page;
}

export async function newNote(page, title) {
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.getByLabel('Title').fill(title);
  // "Saved" alone can be the status from before the app handled the input: wait for the list
  // to show the stored title (the version with it is written), then for the status.
  await noteButton(page, title).waitFor(WAIT);
  await saved(page);
}

/**
 * Writes `count` versions of a new note titled `title` on `page`, fast and one per step: the page's
 * clock (installed by the caller) is paused, and advanced past the editor's save delay once the
 * editor shows the text as unsaved. The page's time runs ahead by that much per version (about
 * 2 minutes per 200); nothing here compares those versions' times, and the worker's clock is not
 * faked. Each version replaces the whole text (the editor may show an older stored text for a
 * moment after a save; typing is not appended to it).
 */
export async function writeVersions(page, title, count) {
  const before = (await deviceVersions(page)).versions.length;
  await newNote(page, title);
  await page.getByLabel('Note', { exact: true }).click();
  try {
    // A second ahead of the page's time, which keeps running until it is paused.
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
    for (let i = 1; i <= count; i++) {
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(`${title}: line ${i}`);
      await page.getByTestId('save-status').filter({ hasText: /^Editing/ }).waitFor(WAIT);
      await page.clock.runFor(SAVE_DELAY_MS);
      await saved(page);
    }
  } finally {
    await page.clock.resume();
  }
  const written = (await deviceVersions(page)).versions.length - before;
  assert.ok(written >= count, `${count} versions written (${written} new on the device)`);
}

export async function unlock(page) {
  await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
}

/**
 * A laptop that creates the vault and an account and syncs it, and a phone that logs in to the
 * same account and unlocks the vault, against a fresh server started with `serverEnv`.
 * `phoneInit` (a function) runs in every page of the phone before the app: e.g. to take
 * `SharedWorker` away, as on Chrome for older Android.
 */
export async function twoDevices(serverEnv = {}, { phoneInit } = {}) {
  const env = {};
  try {
    return await setUpDevices(env, serverEnv, phoneInit);
  } catch (e) {
    // Close what was started: open browsers, servers and sites would keep node's test runner
    // waiting for ever. The phone's page is kept as a screenshot first.
    await env.b?.screenshot({ path: path.join(SCREENSHOTS, '49-two-devices-set-up-failed-phone.png') }).catch(() => {});
    await closeDevices(env).catch(() => {});
    throw e;
  }
}

/** What twoDevices does, recording in `env` everything it starts (so a failure can close it). */
async function setUpDevices(env, serverEnv, phoneInit) {
  const sites = { laptop: await serveDist(distDir()) };
  env.sites = sites;
  sites.phone = await serveDist(distDir());
  const server = await startServer({
    LOCALFUL_ALLOWED_ORIGINS: `${sites.laptop.url},${sites.phone.url}`,
    // The test logs in often (from node too): no rate limit, cheap password hashing.
    LOCALFUL_AUTH_RATE_LIMIT: '10000', LOCALFUL_ARGON2_MEMORY_KIB: '1024', LOCALFUL_ARGON2_ITERATIONS: '1',
    ...serverEnv,
  });
  env.server = server;
  sites.laptop.setProxy(server.url);
  sites.phone.setProxy(server.url);
  const browsers = { laptop: await launchBrowser() };
  env.browsers = browsers;
  browsers.phone = await launchBrowser();
  if (phoneInit) await browsers.phone.context.addInitScript(phoneInit);
  env.api = serverClient(server.url, EMAIL, ACCOUNT_PASSWORD);

  const a = await newPage(browsers.laptop);
  await setUpLaptop(a, sites.laptop.url);

  const b = await newPage(browsers.phone, sites.phone.url);
  env.b = b;
  await setUpPhone(b);
  await noteButton(b, 'First note').waitFor(WAIT);

  const [vault] = await env.api.vaults();
  return Object.assign(env, { a, b, vaultId: vault.id });
}

/**
 * The laptop at `url` on `page`: onboards, writes "First note", registers the account and syncs
 * the vault "Personal" until it is up to date.
 */
export async function setUpLaptop(page, url) {
  await onboard(page, url, 'Laptop', PASSWORD);
  await newNote(page, 'First note');
  await page.getByTestId('network').click();
  const panel = page.getByRole('dialog', { name: 'Account & sync' });
  await panel.getByRole('button', { name: 'Use' }).click();
  await panel.getByLabel('Email').fill(EMAIL);
  await panel.getByLabel('Account password').fill(ACCOUNT_PASSWORD);
  await panel.getByRole('button', { name: 'Create an account' }).click();
  await panel.getByLabel('Display name').fill('Grace');
  await panel.getByRole('button', { name: 'Register' }).click();
  await panel.getByText(`Logged in as ${EMAIL}`).waitFor(WAIT);
  await panel.getByRole('button', { name: /^Sync “Personal”/ }).click();
  await panel.getByText('“Personal” syncs with this account.').waitFor(WAIT);
  await panel.getByTestId('sync-status').getByText('Up to date').waitFor(WAIT);
  await panel.getByRole('button', { name: 'Close' }).click();
}

/** The phone on `page` (already at the demo): names the device, logs in and unlocks "Personal". */
export async function setUpPhone(page) {
  await page.getByLabel('Device name').fill('Phone');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Log in to sync your vaults' }).click();
  const login = page.getByRole('dialog', { name: 'Account & sync' });
  await login.getByRole('button', { name: 'Use' }).click();
  await login.getByLabel('Email').fill(EMAIL);
  await login.getByLabel('Account password').fill(ACCOUNT_PASSWORD);
  await login.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Your vaults' }).waitFor(WAIT);
  await page.getByRole('button', { name: /Personal/ }).click();
  await unlock(page);
}

export async function closeDevices(env) {
  if (!env) return;
  for (const browser of Object.values(env.browsers ?? {})) await browser.close();
  await env.server?.stop();
  for (const site of Object.values(env.sites ?? {})) await site.close();
}

/**
 * Waits (up to 60 s) until both devices and the server hold the same version ids and no device
 * has anything left to push, then asserts it: the three sets are equal, with at least
 * `atLeast` versions. Returns the count.
 */
export async function sameEverywhere(env, atLeast) {
  let a, b, server;
  await eventually('the same versions everywhere', async () => {
    [a, b, server] = await Promise.all([deviceVersions(env.a), deviceVersions(env.b), env.api.versions(env.vaultId)]);
    const same = JSON.stringify(a.versions) === JSON.stringify(server) && JSON.stringify(b.versions) === JSON.stringify(server);
    return same && a.pending === 0 && b.pending === 0 && server.length >= atLeast;
  }, { timeout: 60_000, every: 200 }).catch(() => {}); // the assertions below say what differs
  const differ = (device, ids) => {
    const only = (x, y) => x.filter((id) => !y.includes(id)).slice(0, 5).join(', ');
    return `${device} holds ${ids.length} versions, the server ${server.length}; only on the ${device}: [${only(ids, server)}]; `
      + `only on the server: [${only(server, ids)}]`;
  };
  assert.deepEqual(a.versions, server, differ('laptop', a.versions));
  assert.deepEqual(b.versions, server, differ('phone', b.versions));
  assert.equal(a.pending, 0, 'nothing left in the laptop’s outbox');
  assert.equal(b.pending, 0, 'nothing left in the phone’s outbox');
  assert.ok(server.length >= atLeast, `at least ${atLeast} versions (got ${server.length})`);
  return server.length;
}

/** The number of versions the laptop holds. */
export const laptopCount = async (env) => (await deviceVersions(env.a)).versions.length;
