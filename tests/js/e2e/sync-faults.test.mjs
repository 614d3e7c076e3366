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
import { deviceVersions } from './sync-probe.mjs';
import { eventually } from './harness.mjs';
import {
  PUSH_BATCH, PULL_PAGE, WAIT, saved, noteButton, badge, shot, pageErrors, stopwatch, newPage, newNote,
  writeVersions, unlock, twoDevices, closeDevices, sameEverywhere, laptopCount,
} from './devices.mjs';

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
    // A short interval: the kill must land while the push is still going.
    await eventually(`more than ${past} changes stored`, async () => (await api.latestSeq(env.vaultId)) > seq + past, { every: 5 });
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
  await eventually(`the laptop's ${total} versions pushed`, async () => {
    const [server, a] = await Promise.all([env.api.versions(env.vaultId), deviceVersions(env.a)]);
    return server.length === total && a.pending === 0;
  }, { every: 200 });
  took('pushed');

  // The phone pulls the first page and applies it; when it asks for the next one, its
  // connections (that request and the socket) are cut.
  // Pages of PULL_PAGE (the phone asks for more: see devices.mjs), as a server with that maximum gives.
  sites.phone.rewrite((url) => (url.includes('/changes?') ? url.replace(/limit=\d+/, `limit=${PULL_PAGE}`) : url));
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
  sites.phone.rewrite(null);
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
  await eventually('the shared worker ended', async () => {
    const { targetInfos } = await cdp.send('Target.getTargets');
    return !targetInfos.some((t) => t.type === 'shared_worker');
  });
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
  // Keep writing on both devices across three token lifetimes: until each has refreshed its
  // token three times (the deadline only bounds a failure).
  const LIFETIMES = 3;
  const deadline = Date.now() + 90_000;
  await newNote(expiring.a, 'Laptop across expiries');
  await newNote(expiring.b, 'Phone across expiries');
  const bodies = [expiring.a, expiring.b].map((p) => p.getByLabel('Note', { exact: true }));
  for (let i = 1; refreshes.laptop < LIFETIMES || refreshes.phone < LIFETIMES; i++) {
    assert.ok(Date.now() < deadline, `both devices refreshed their tokens ${LIFETIMES} times (${JSON.stringify(refreshes)})`);
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
