// The sync worker where `SharedWorker` does not exist (Chrome on older Android): the tab that holds
// the Web Lock runs the sync in a dedicated `Worker`, the other tabs talk to it over a
// `BroadcastChannel`, and when that tab closes the lock, and the sync, pass to another tab.
// Two browser profiles against one real localful-server; the phone's pages have no SharedWorker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  WAIT, noteButton, badge, shot, pageErrors, stopwatch, newPage, newNote, unlock, twoDevices, closeDevices,
  sameEverywhere,
} from './devices.mjs';

let env;

/** The workers Chromium runs for `browser` (its profile), by type. */
async function workers(browser, page) {
  const cdp = await browser.context.newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const count = (type) => targetInfos.filter((t) => t.type === type).length;
    return { shared: count('shared_worker'), dedicated: count('worker') };
  } finally {
    await cdp.detach();
  }
}

before(async () => {
  env = await twoDevices({}, { phoneInit: () => { delete window.SharedWorker; } });
});
after(async () => {
  await closeDevices(env);
});

test('without SharedWorker the tab holding the Web Lock syncs for every tab, one socket', async (t) => {
  const took = stopwatch(t);
  const { sites, browsers } = env;
  assert.equal(await env.b.evaluate(() => typeof SharedWorker), 'undefined', 'the phone has no SharedWorker');
  await badge(env.b, 'Synced');
  assert.deepEqual(await workers(browsers.phone, env.b), { shared: 0, dedicated: 1 }, 'one dedicated worker');
  assert.equal(sites.phone.liveSockets(), 1, 'the phone has one socket');
  const upgrades = sites.phone.upgrades();

  const b2 = await newPage(browsers.phone, sites.phone.url);
  env.b2 = b2;
  // The key comes from the unlocked tab; the status from the lock holder's worker.
  await b2.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
  await badge(b2, 'Synced');
  took('second tab open and synced');
  assert.deepEqual(await workers(browsers.phone, b2), { shared: 0, dedicated: 1 }, 'still one worker with two tabs');

  const before = (await env.api.versions(env.vaultId)).length;
  await newNote(env.a, 'Seen through the lock holder');
  t.diagnostic(`versions everywhere: ${await sameEverywhere(env, before + 1)}`);
  await Promise.all([noteButton(env.b, 'Seen through the lock holder').waitFor(WAIT),
    noteButton(b2, 'Seen through the lock holder').waitFor(WAIT)]);
  assert.equal(sites.phone.liveSockets(), 1, 'one socket for both tabs');
  assert.equal(sites.phone.upgrades(), upgrades, 'the second tab opened no socket of its own');
  took('note from the laptop in both tabs');
  await shot(b2, '45-phone-fallback-second-tab');
});

test('when the lock holder closes, the other tab takes the lock and syncs both ways', async (t) => {
  const took = stopwatch(t);
  const { sites, browsers } = env;
  const upgrades = sites.phone.upgrades();
  await env.b.close();
  env.b = env.b2;
  // The closed tab's worker (and its socket) ended with it; the remaining tab starts its own.
  await sites.phone.untilUpgrades(upgrades + 1);
  await badge(env.b, 'Synced');
  assert.deepEqual(await workers(browsers.phone, env.b), { shared: 0, dedicated: 1 }, 'one worker again');
  assert.equal(sites.phone.liveSockets(), 1, 'one socket again');
  took('lock passed on, worker restarted, synced');

  const before = (await env.api.versions(env.vaultId)).length;
  await newNote(env.a, 'After the hand-over');
  await noteButton(env.b, 'After the hand-over').waitFor(WAIT);
  await newNote(env.b, 'Written on the phone');
  await noteButton(env.a, 'Written on the phone').waitFor(WAIT);
  t.diagnostic(`versions everywhere: ${await sameEverywhere(env, before + 2)}`);
  took('a note each way, same versions everywhere');
  await shot(env.b, '46-phone-fallback-after-hand-over');
});

test('no page errors', () => {
  assert.deepEqual(pageErrors, []);
});
