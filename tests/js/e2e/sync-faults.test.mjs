// The sync engine through faults, end to end: two browser profiles (a laptop and a phone, each on
// its own origin with its own proxy to ONE real localful-server) and the demo app.
// - two tabs of the phone share one socket, and both update when the laptop writes;
// - the server is killed (SIGKILL) in the middle of a push of several batches (some versions
//   stored, not all) and restarted on the same port and data;
// - the phone's connections are cut in the middle of its pull (first page applied, next asked);
// - the laptop's tab is closed (its SharedWorker dies) between the IndexedDB write and the push;
// - (a second server) access tokens expire every 3 s while both devices keep writing.
// After each fault the version ids on both devices (their IndexedDB) and on the server (its HTTP
// API) must be the same set, with no outbox entry left.
//
// The steps share the devices and run in order; each leaves them synced for the next.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, startServer, launchBrowser, distDir, SCREENSHOTS } from './harness.mjs';
import { serverClient, deviceVersions } from './sync-probe.mjs';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'grace@example.com';
const ACCOUNT_PASSWORD = 'an account passphrase';
const WAIT = { timeout: 30_000 };
/** The demo's editor saves a version this long after typing pauses (demo/src/components/editor.rs). */
const SAVE_DELAY_MS = 500;
/** SyncConfig::default() (localful-core/src/sync/config.rs), which the demo's worker uses. */
const PUSH_BATCH = 100;
const PULL_PAGE = 200;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const saved = (page) => page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
const noteButton = (page, title) => page.getByTestId('note-list').getByRole('button', { name: new RegExp(`^${title}`) });
const badge = (page, text) => page.getByTestId('network').filter({ hasText: text }).waitFor(WAIT);
const shot = (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

/** Reports `what` took since the last mark (or the start) as a TAP diagnostic of test `t`. */
function stopwatch(t) {
  let last = Date.now();
  return (what) => {
    const now = Date.now();
    t.diagnostic(`${what}: ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };
}

/** Uncaught errors of every page (a panic in the app's wasm is one). */
const pageErrors = [];

async function newPage(browser, url) {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  await page.setViewportSize({ width: 1280, height: 800 });
  if (url) await page.goto(url);
  return page;
}

async function newNote(page, title) {
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
async function writeVersions(page, title, count) {
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

async function unlock(page) {
  await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
}

/**
 * A laptop that creates the vault and an account and syncs it, and a phone that logs in to the
 * same account and unlocks the vault, against a fresh server started with `serverEnv`.
 */
async function twoDevices(serverEnv = {}) {
  const sites = { laptop: await serveDist(distDir()), phone: await serveDist(distDir()) };
  const server = await startServer({
    LOCALFUL_ALLOWED_ORIGINS: `${sites.laptop.url},${sites.phone.url}`,
    // The test logs in often (from node too): no rate limit, cheap password hashing.
    LOCALFUL_AUTH_RATE_LIMIT: '10000', LOCALFUL_ARGON2_MEMORY_KIB: '1024', LOCALFUL_ARGON2_ITERATIONS: '1',
    ...serverEnv,
  });
  sites.laptop.setProxy(server.url);
  sites.phone.setProxy(server.url);
  const browsers = { laptop: await launchBrowser(), phone: await launchBrowser() };
  const env = { sites, server, browsers, api: serverClient(server.url, EMAIL, ACCOUNT_PASSWORD) };

  const a = await newPage(browsers.laptop, sites.laptop.url);
  await a.getByLabel('Device name').fill('Laptop');
  await a.getByRole('button', { name: 'Continue' }).click();
  await a.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await a.getByLabel('Repeat password').fill(PASSWORD);
  await a.getByRole('button', { name: 'Create vault' }).click();
  await newNote(a, 'First note');
  await a.getByTestId('network').click();
  const panel = a.getByRole('dialog', { name: 'Account & sync' });
  await panel.getByRole('button', { name: 'Use' }).click();
  await panel.getByLabel('Email').fill(EMAIL);
  await panel.getByLabel('Account password').fill(ACCOUNT_PASSWORD);
  await panel.getByRole('button', { name: 'Create an account' }).click();
  await panel.getByLabel('Display name').fill('Grace');
  await panel.getByRole('button', { name: 'Register' }).click();
  await panel.getByText(`Logged in as ${EMAIL}`).waitFor(WAIT);
  await panel.getByRole('button', { name: /^Sync “Personal”/ }).click();
  await panel.getByText('“Personal” is synced.').waitFor(WAIT);
  await panel.getByTestId('sync-status').getByText('Up to date').waitFor(WAIT);
  await panel.getByRole('button', { name: 'Close' }).click();

  const b = await newPage(browsers.phone, sites.phone.url);
  await b.getByLabel('Device name').fill('Phone');
  await b.getByRole('button', { name: 'Continue' }).click();
  await b.getByRole('button', { name: 'Log in to sync your vaults' }).click();
  const login = b.getByRole('dialog', { name: 'Account & sync' });
  await login.getByRole('button', { name: 'Use' }).click();
  await login.getByLabel('Email').fill(EMAIL);
  await login.getByLabel('Account password').fill(ACCOUNT_PASSWORD);
  await login.getByRole('button', { name: 'Log in' }).click();
  await b.getByRole('heading', { name: 'Your vaults' }).waitFor(WAIT);
  await b.getByRole('button', { name: /Personal/ }).click();
  await unlock(b);
  await noteButton(b, 'First note').waitFor(WAIT);

  const [vault] = await env.api.vaults();
  return { ...env, a, b, vaultId: vault.id };
}

async function closeDevices(env) {
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
async function sameEverywhere(env, atLeast) {
  const deadline = Date.now() + 60_000;
  let a, b, server;
  while (Date.now() < deadline) {
    [a, b, server] = await Promise.all([deviceVersions(env.a), deviceVersions(env.b), env.api.versions(env.vaultId)]);
    const same = JSON.stringify(a.versions) === JSON.stringify(server) && JSON.stringify(b.versions) === JSON.stringify(server);
    if (same && a.pending === 0 && b.pending === 0 && server.length >= atLeast) break;
    await sleep(200);
  }
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
const laptopCount = async (env) => (await deviceVersions(env.a)).versions.length;

let env; // the devices of the first four steps
let expiring; // the devices against the server with short-lived access tokens

before(async () => {
  env = await twoDevices();
});
after(async () => {
  await closeDevices(env);
  await closeDevices(expiring);
});

test('two tabs of one device share one socket, and both update when the other device writes', async (t) => {
  const { sites } = env;
  const took = stopwatch(t);
  await badge(env.b, 'Synced');
  assert.equal(sites.phone.liveSockets(), 1, 'the phone has one socket');
  const upgrades = sites.phone.upgrades();
  const b2 = await newPage(env.browsers.phone, sites.phone.url);
  try {
    // The key is handed over by the unlocked tab, and the tab watches the shared worker's status.
    await b2.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
    await badge(b2, 'Synced');
    took('second tab open and synced');
    const before = (await deviceVersions(env.b)).versions.length;
    await newNote(env.a, 'Seen in both tabs');
    // First in the phone's database (the sync), then in each tab (its live query).
    t.diagnostic(`versions everywhere: ${await sameEverywhere(env, before + 1)}`);
    took('same versions everywhere');
    const shown = async (page, tab) => {
      try {
        await noteButton(page, 'Seen in both tabs').waitFor(WAIT);
      } catch (e) {
        await shot(page, `40-phone-${tab}-tab-not-updated`);
        throw new Error(`the phone's ${tab} tab does not list the note its database holds: ${e.message}`);
      }
    };
    await Promise.all([shown(env.b, 'first'), shown(b2, 'second')]);
    assert.equal(sites.phone.liveSockets(), 1, 'still one socket with two tabs open and syncing');
    assert.equal(sites.phone.upgrades(), upgrades, 'the second tab opened no socket of its own');
    took('note from the laptop in both tabs');
    t.diagnostic(`phone: ${sites.phone.liveSockets()} live socket(s), ${sites.phone.upgrades()} upgrade(s) in all`);
    await shot(b2, '40-phone-second-tab');
  } finally {
    await b2.close();
    took('second tab closed');
  }
});

test('the server killed in the middle of a push of several batches and restarted loses nothing', async (t) => {
  const { sites, server, api } = env;
  const count = 2 * PUSH_BATCH + 10;
  const took = stopwatch(t);
  sites.laptop.setProxy(null);
  await env.a.clock.install();
  await writeVersions(env.a, 'Written offline in bulk', count);
  took(`${count} versions written offline`);
  const total = await laptopCount(env);
  const before = (await api.versions(env.vaultId)).length;
  assert.ok(total - before > 2 * PUSH_BATCH, `the push needs several batches (${total - before} versions)`);

  // Killed twice: as soon as the first versions are stored, then again once more than a batch is
  // (polled on the change log's seq: one per stored item or version; the note's item comes first).
  const seq = await api.latestSeq(env.vaultId);
  for (const past of [1, PUSH_BATCH]) {
    sites.laptop.setProxy(server.url);
    while ((await api.latestSeq(env.vaultId)) <= seq + past) await sleep(5);
    await server.kill('SIGKILL');
    // Back on its data, still out of the laptop's reach: what did it keep?
    sites.laptop.setProxy(null);
    await server.restart();
    const stored = (await api.versions(env.vaultId)).length;
    assert.ok(stored > before && stored < total, `killed with ${stored - before} of ${total - before} versions stored`);
    t.diagnostic(`SIGKILLed with ${stored - before} of ${total - before} new versions stored`);
    took('pushing until the kill, restart');
  }
  sites.laptop.setProxy(server.url);
  t.diagnostic(`versions everywhere: ${await sameEverywhere(env, total)}`);
  took('same versions everywhere');
  await badge(env.a, 'Synced');
  await shot(env.a, '41-laptop-after-server-restart');
});

test('the connections dropped in the middle of a paged pull lose nothing', async (t) => {
  const { sites } = env;
  const took = stopwatch(t);
  sites.phone.setProxy(null);
  await badge(env.b, /Connecting|Not syncing/);
  // Written offline (faster), then pushed while the phone is away.
  sites.laptop.setProxy(null);
  await writeVersions(env.a, 'Pulled in pages', PULL_PAGE + 10);
  took(`${PULL_PAGE + 10} versions written on the laptop`);
  const total = await laptopCount(env);
  sites.laptop.setProxy(env.server.url);
  for (;;) {
    const [server, a] = await Promise.all([env.api.versions(env.vaultId), deviceVersions(env.a)]);
    if (server.length === total && a.pending === 0) break;
    await sleep(200);
  }
  took('pushed');

  // The phone pulls the first page and applies it; when it asks for the next one, its
  // connections (that request and the socket) are cut.
  const before = (await deviceVersions(env.b)).versions.length;
  const isPull = (url) => url.includes('/changes?');
  let page = null;
  const cutting = new Promise((resolve) => {
    sites.phone.onServed(({ url, status, body }) => { if (status === 200 && isPull(url)) page ??= JSON.parse(body); });
    sites.phone.onRequest(({ url }) => {
      if (!page || !isPull(url)) return;
      sites.phone.onRequest(null);
      sites.phone.onServed(null);
      sites.phone.setProxy(null);
      resolve();
    });
  });
  sites.phone.setProxy(env.server.url);
  await cutting;
  assert.equal(page.results.length, PULL_PAGE, 'a full first page');
  assert.ok(page.meta.latestSeq > page.results.at(-1).seq, 'more changes after the first page');
  await badge(env.b, /Connecting|Not syncing/);
  const cut = (await deviceVersions(env.b)).versions.length;
  assert.ok(cut > before && cut < total, `the phone applied the first page, not everything (${cut} of ${total} versions)`);
  t.diagnostic(`cut when the phone asked for the page after seq ${page.results.at(-1).seq} of ${page.meta.latestSeq}; it held ${cut} of ${total} versions (${before} before the pull)`);
  took('first page, cut');

  sites.phone.setProxy(env.server.url);
  t.diagnostic(`versions everywhere: ${await sameEverywhere(env, total)}`);
  took('same versions everywhere');
  await badge(env.b, 'Synced');
  await shot(env.b, '42-phone-after-cut-pull');
});

test('a tab closed between the IndexedDB write and the push loses nothing', async (t) => {
  const { sites, browsers } = env;
  const took = stopwatch(t);
  sites.laptop.setProxy(null);
  await newNote(env.a, 'Written just before closing');
  const written = await deviceVersions(env.a);
  assert.ok(written.pending > 0, 'the version waits in the outbox');
  await env.a.close();
  // With no tab left the profile's SharedWorker ends: wait until Chromium lists none.
  const blank = await newPage(browsers.laptop);
  const cdp = await browsers.laptop.context.newCDPSession(blank);
  for (let i = 0; ; i++) {
    const { targetInfos } = await cdp.send('Target.getTargets');
    if (!targetInfos.some((t) => t.type === 'shared_worker')) break;
    assert.ok(i < 200, 'the shared worker ended');
    await sleep(50);
  }
  await cdp.detach();
  took('written, tab closed, shared worker gone');

  sites.laptop.setProxy(env.server.url);
  await blank.goto(sites.laptop.url);
  env.a = blank;
  await unlock(env.a);
  t.diagnostic(`versions everywhere: ${await sameEverywhere(env, written.versions.length)}`);
  took('reopened, same versions everywhere');
  await noteButton(env.b, 'Written just before closing').waitFor(WAIT);
  await badge(env.a, 'Synced');
  await shot(env.a, '43-laptop-reopened');
});

test('access tokens expiring every 3 s while both devices write lose nothing and leave no error', async (t) => {
  const took = stopwatch(t);
  await closeDevices(env);
  env = null;
  expiring = await twoDevices({
    LOCALFUL_ACCESS_TOKEN_TTL: '3', LOCALFUL_TICKET_REFRESH_INTERVAL: '2', LOCALFUL_TICKET_TTL: '5',
  });
  took('second server and devices set up');
  const refreshes = { laptop: 0, phone: 0 };
  for (const [name, site] of Object.entries(expiring.sites)) {
    site.onServed(({ url, status }) => { if (status === 200 && url.startsWith('/v1/auth/refresh')) refreshes[name] += 1; });
  }
  // Keep writing on both devices for more than three token lifetimes.
  const started = Date.now();
  await newNote(expiring.a, 'Laptop across expiries');
  await newNote(expiring.b, 'Phone across expiries');
  const bodies = [expiring.a, expiring.b].map((p) => p.getByLabel('Note', { exact: true }));
  for (let i = 1; Date.now() - started < 10_000 || refreshes.laptop === 0 || refreshes.phone === 0; i++) {
    assert.ok(Date.now() - started < 40_000, `both devices refreshed their tokens (${JSON.stringify(refreshes)})`);
    await Promise.all(bodies.map((body) => body.fill(`line ${i}`)));
    await Promise.all([saved(expiring.a), saved(expiring.b)]);
  }
  took('writing on both devices');
  t.diagnostic(`token refreshes: ${JSON.stringify(refreshes)}`);
  t.diagnostic(`versions everywhere: ${await sameEverywhere(expiring, 4)}`);
  took('same versions everywhere');
  await Promise.all([badge(expiring.a, 'Synced'), badge(expiring.b, 'Synced')]);
  await noteButton(expiring.a, 'Phone across expiries').waitFor(WAIT);
  await noteButton(expiring.b, 'Laptop across expiries').waitFor(WAIT);
  await shot(expiring.b, '44-phone-after-token-expiries');
});

test('no page errors', () => {
  assert.deepEqual(pageErrors, []);
});
