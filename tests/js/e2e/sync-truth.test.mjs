// What Localful Notes says about sync is true, and never contradicts itself, through each state a
// user meets: up to date; the server stopped (unreachable, the next retry, changes counted while
// they wait, "Retry now", the count going down to zero once the server is back); the browser
// context offline; the session ended on the server; the server refusing the page's origin on the
// sync socket (and "Retry now" once the server allows it).
//
// Every step asserts the visible text, and a recorder in the page checks every render of the
// badge and the sync panel for contradictions: "Up to date"/"Synced" beside changes waiting or an
// error, "Log in" beside "Logged in as", "Offline" beside a working connection.
//
// The steps share one device and server and run in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, startServer, launchBrowser, distDir, onboard, eventually, SCREENSHOTS } from './harness.mjs';
import { deviceVersions } from './sync-probe.mjs';

const PASSWORD = 'correct horse battery staple';
const ACCOUNT = { email: 'ada@example.com', password: 'an account passphrase' };
const WAIT = { timeout: 30_000 };

let site, server, browser, page;
/** The device's current refresh token, as the server last handed it out through the proxy. */
let refreshToken = null;

before(async () => {
  site = await serveDist(distDir());
  server = await startServer({
    LOCALFUL_ALLOWED_ORIGINS: site.url,
    LOCALFUL_AUTH_RATE_LIMIT: '10000', LOCALFUL_ARGON2_MEMORY_KIB: '1024', LOCALFUL_ARGON2_ITERATIONS: '1',
  });
  site.setProxy(server.url);
  site.onServed(({ status, body }) => {
    if (status < 200 || status > 299) return;
    try { refreshToken = JSON.parse(body)?.tokens?.refreshToken ?? refreshToken; } catch { /* not JSON */ }
  });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  await page.setViewportSize({ width: 1280, height: 800 });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await site?.close();
});

const dialog = () => page.getByRole('dialog', { name: 'Account & sync' });
const badge = () => page.getByTestId('network');
const line = () => dialog().getByTestId('sync-line');
const details = () => dialog().getByTestId('sync-detail');
const shot = (name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

async function openPanel() {
  if (await dialog().count() === 0) await badge().click();
  await dialog().waitFor(WAIT);
}
async function closePanel() {
  if (await dialog().count() > 0) await dialog().getByRole('button', { name: 'Close' }).click();
}

/** What the badge and the panel say now. */
const seen = () => page.evaluate(() => ({
  badge: document.querySelector('[data-testid=network]')?.textContent ?? '',
  panel: document.querySelector('[role=dialog]')?.innerText ?? '',
}));

/** Waits for `locator`; a timeout says what the badge and the panel showed instead. */
async function shows(locator) {
  try {
    await locator.waitFor(WAIT);
  } catch (e) {
    const shown = await seen().catch(() => ({}));
    throw new Error(`${e.message.split('\n')[0]}; shown: badge ${JSON.stringify(shown.badge)}, panel ${JSON.stringify(shown.panel)}`);
  }
}

/** Why `shown` contradicts itself, or null. */
function contradiction({ badge: b, panel: p }) {
  const waiting = /\d+ changes? waiting to be sent/.test(p) || /waiting/.test(b);
  const upToDate = /Up to date/.test(p) || b === 'Synced';
  const error = /Sync problem/.test(p) || /Sync error|Log in again/.test(b);
  if (waiting && upToDate) return 'up to date with changes waiting';
  if (error && upToDate) return 'synced beside an error';
  if (/is synced\./.test(p) && error) return '“is synced” beside an error';
  if (/Logged in/.test(p) && /Log in to sync|\bLog in\n|Your session has expired/.test(p)) return '“Log in” beside “Logged in as”';
  if (/^Offline/.test(b) && /Up to date/.test(p)) return 'offline beside up to date';
  if (/[{}]|::|Some\(|None\b/.test(b + p)) return 'debug text';
  return null;
}

/** Asserts what shows now is consistent, and returns it. */
async function consistent() {
  const shown = await seen();
  const why = contradiction(shown);
  assert.equal(why, null, `${why}: badge ${JSON.stringify(shown.badge)}, panel ${JSON.stringify(shown.panel)}`);
  return shown;
}

/** Records the badge and the panel after every change of the page, to check each render. */
async function record() {
  await page.evaluate(() => {
    window.__syncSeen = [];
    const snap = () => window.__syncSeen.push({
      badge: document.querySelector('[data-testid=network]')?.textContent ?? '',
      panel: document.querySelector('[role=dialog]')?.innerText ?? '',
    });
    window.__syncObserver?.disconnect();
    window.__syncObserver = new MutationObserver(snap);
    window.__syncObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    snap();
  });
}

/** Every render recorded since `record()`, each asserted consistent. */
async function recorded() {
  const all = await page.evaluate(() => window.__syncSeen);
  for (const shown of all) {
    const why = contradiction(shown);
    assert.equal(why, null, `${why}: badge ${JSON.stringify(shown.badge)}, panel ${JSON.stringify(shown.panel)}`);
  }
  return all;
}

async function newNote(title) {
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByTestId('note-list').getByRole('button', { name: new RegExp(`^${title}`) }).waitFor(WAIT);
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
}

const upToDate = async () => {
  await shows(badge().filter({ hasText: /^Synced$/ }));
  if (await dialog().count() > 0) await shows(line().filter({ hasText: '✓ Up to date' }));
};

test('a synced vault: up to date, and the panel says so once', async () => {
  await onboard(page, site.url, 'Ada laptop', PASSWORD);
  await newNote('First note');
  await record();
  await badge().click();
  await dialog().getByRole('button', { name: 'Use' }).click();
  // Signed out: the form, and no "Logged in as".
  await shows(line().filter({ hasText: 'Not syncing: log in to sync' }));
  assert.equal(await dialog().getByText(/Logged in/).count(), 0);
  await dialog().getByRole('button', { name: 'Create an account' }).click();
  await dialog().getByLabel('Email').fill(ACCOUNT.email);
  await dialog().getByLabel('Display name').fill('Ada');
  await dialog().getByLabel('Account password').fill(ACCOUNT.password);
  await dialog().getByRole('button', { name: 'Register' }).click();
  await dialog().getByText(`Logged in as ${ACCOUNT.email}`).waitFor(WAIT);
  await dialog().getByRole('button', { name: /^Sync “Personal”/ }).click();
  // Really synced: the outbox is empty (the vault joins sync a moment after the click).
  await eventually('the first note sent', async () => (await deviceVersions(page)).pending === 0);
  await upToDate();
  assert.equal(await dialog().getByRole('heading', { name: 'Log in' }).count(), 0, 'no login form once logged in');
  assert.equal(await details().count(), 0, 'nothing waiting, nothing to add');
  await consistent();
  await recorded();
  await shot('60-sync-up-to-date');
  await closePanel();
});

test('the server stopped: unreachable with the next retry, changes counted, then counted down to zero', async () => {
  await record();
  await server.kill('SIGTERM');
  // The badge follows the worker's connection, not navigator.onLine (still true here).
  await shows(badge().filter({ hasText: /^Not syncing/ }));
  for (const title of ['Offline one', 'Offline two', 'Offline three']) await newNote(title);
  await shows(badge().filter({ hasText: 'Not syncing · 3 waiting' }));
  // The longest badge still fits a 320 px phone.
  await page.setViewportSize({ width: 320, height: 700 });
  await page.getByRole('button', { name: 'Back to notes' }).click();
  await page.getByRole('button', { name: 'Lock' }).waitFor(WAIT);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no horizontal overflow at 320 px');
  assert.ok(await badge().isVisible(), 'the badge is on screen');
  await shot('61-sync-server-unreachable-320');
  await page.setViewportSize({ width: 1280, height: 800 });
  await openPanel();
  await shows(details().filter({ hasText: /^3 changes waiting to be sent$/ }));
  await shows(details().filter({ hasText: /^Synced (just now|\d+ minutes? ago)$/ }));
  await shows(line().filter({ hasText: /^The sync server cannot be reached\. Retrying (in \d+ seconds?|now)…$/ }));
  await shows(line().filter({ hasText: /Retrying in \d+ seconds?…/ }));
  await dialog().getByRole('button', { name: 'Retry now' }).waitFor(WAIT);
  await dialog().getByText(`Logged in as ${ACCOUNT.email}`).waitFor(WAIT);
  assert.equal(await dialog().getByRole('heading', { name: 'Log in' }).count(), 0, 'no login form while logged in');
  await consistent();
  await shot('61-sync-server-unreachable');

  // "Retry now" while the server is still down: an attempt, and the same truth after it.
  await dialog().getByRole('button', { name: 'Retry now' }).click();
  await shows(line().filter({ hasText: /cannot be reached/ }));
  await shows(details().filter({ hasText: /^3 changes waiting to be sent$/ }));

  // Back: the count goes down to zero as the server acknowledges, then up to date.
  await record();
  await server.restart();
  await dialog().getByRole('button', { name: 'Retry now' }).click().catch(() => {}); // may be gone already
  await upToDate();
  assert.equal(await details().count(), 0, 'no changes waiting, no "synced … ago" while up to date');
  const renders = await recorded();
  const counts = renders.map((r) => Number(/(\d+) changes? waiting/.exec(r.panel)?.[1] ?? 0));
  assert.ok(counts.some((n) => n === 3), `the panel showed 3 waiting after the restart: ${counts}`);
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i] <= counts[i - 1], `the count never grows back: ${counts}`);
  assert.equal(counts.at(-1), 0);
  const onServer = await eventually('the server has the offline notes', async () => {
    const device = await deviceVersions(page);
    return device.pending === 0 && device;
  });
  assert.equal(onServer.pending, 0, 'nothing left in the outbox');
  await consistent();
  await closePanel();
});

test('the browser context offline: the badge follows the worker’s connection, and says nothing untrue', async (t) => {
  await record();
  await browser.context.setOffline(true);
  try {
    await newNote('Written with the context offline');
    // Chromium keeps a SharedWorker's open WebSocket working when the page's context goes
    // offline: the change is sent, and the app says so instead of "Offline".
    const outcome = await Promise.race([
      badge().filter({ hasText: /^Synced$/ }).waitFor(WAIT).then(() => 'synced'),
      badge().filter({ hasText: /^Offline · 1 waiting$/ }).waitFor(WAIT).then(() => 'offline'),
    ]);
    await openPanel();
    if (outcome === 'synced') {
      await shows(line().filter({ hasText: '✓ Up to date' }));
      assert.equal((await deviceVersions(page)).pending, 0, 'really sent: nothing in the outbox');
    } else {
      await shows(line().filter({ hasText: /^Offline: this device has no network/ }));
      await shows(details().filter({ hasText: '1 change waiting to be sent' }));
      assert.ok((await deviceVersions(page)).pending > 0, 'really waiting: the outbox holds it');
    }
    t.diagnostic(`with the context offline the worker's socket ${outcome === 'synced' ? 'kept working' : 'was lost'}`);
    await consistent();
    await shot('62-sync-context-offline');
  } finally {
    await browser.context.setOffline(false);
  }
  await upToDate();
  await recorded();
  await closePanel();
});

test('the session ended on the server: "Log in again", local data kept, and a login resumes', async () => {
  await record();
  assert.ok(refreshToken, 'the device was given a refresh token');
  // The session ends on the server (logged out elsewhere); the socket is cut so the worker needs a
  // new ticket, which the ended session cannot get.
  const logout = await fetch(`${server.url}/v1/auth/logout`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }),
  });
  assert.equal(logout.status, 200, `the session is ended on the server: ${await logout.text()}`);
  site.setProxy(null);
  site.setProxy(server.url);
  await shows(badge().filter({ hasText: /^Log in again$/ }));
  await openPanel();
  await shows(line().filter({ hasText: /^Your session has expired: log in again\. Your notes stay on this device/ }));
  await dialog().getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
  assert.equal(await dialog().getByText(/Logged in/).count(), 0, 'no "Logged in as" beside the login form');
  assert.equal(await dialog().getByRole('button', { name: 'Retry now' }).count(), 0, 'nothing to retry: log in');
  await page.getByTestId('note-list').getByRole('button', { name: /^Offline three/ }).waitFor(WAIT);
  await consistent();
  await shot('63-sync-session-expired');

  await dialog().getByLabel('Email').fill(ACCOUNT.email);
  await dialog().getByLabel('Account password').fill(ACCOUNT.password);
  await dialog().getByRole('button', { name: 'Log in' }).click();
  await dialog().getByText(`Logged in as ${ACCOUNT.email}`).waitFor(WAIT);
  await upToDate();
  await recorded();
  await closePanel();
});

test('the server refusing the page’s origin: a plain-words error, then "Retry now" once it is allowed', async () => {
  await record();
  await server.kill('SIGTERM');
  await server.restart({ LOCALFUL_ALLOWED_ORIGINS: 'http://some-other-app.test' });
  await shows(badge().filter({ hasText: /^Sync error$/ }));
  await openPanel();
  const refused = `Sync problem: The sync server refused this page's origin (${site.url}). Add it to the server's `
    + 'LOCALFUL_ALLOWED_ORIGINS (comma-separated), restart the server, then retry.';
  await shows(line().filter({ hasText: refused }));
  assert.equal(await line().getAttribute('role'), 'alert');
  await dialog().getByText(`Logged in as ${ACCOUNT.email}`).waitFor(WAIT);
  const { panel } = await consistent();
  assert.ok(!/ConnectError|access-forbidden|message:/.test(panel), `no debug output: ${panel}`);
  await shot('64-sync-origin-refused');

  // A refused socket is not retried by itself: only "Retry now" brings it back.
  await server.kill('SIGTERM');
  await server.restart({ LOCALFUL_ALLOWED_ORIGINS: site.url });
  await shows(line().filter({ hasText: refused }));
  await dialog().getByRole('button', { name: 'Retry now' }).click();
  await upToDate();
  await recorded();
  await closePanel();
});
