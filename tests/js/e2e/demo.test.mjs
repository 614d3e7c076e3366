// Localful Notes end to end, in headless Chromium with one profile (one device): onboarding,
// notes saved as you type, search over encrypted text, tag filter, history and restore, lock and
// unlock (wrong password included), offline start from the service worker, and a new deployment
// that shows "update ready" and applies it on reload without losing typing.
//
// The steps share one page and run in order; each leaves the app where the next one starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveDist, launchBrowser, distDir, SCREENSHOTS } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const WAIT = { timeout: 30_000 };

let site, browser, page, deployDir;
const errors = [];

before(async () => {
  site = await serveDist(distDir());
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
});
after(async () => {
  await browser?.close();
  await site?.close();
  if (deployDir) rmSync(deployDir, { recursive: true, force: true });
});

const shot = (name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
const noteList = () => page.getByTestId('note-list');
const noteButton = (title) => noteList().getByRole('button', { name: new RegExp(`^${title}`) });
const titles = () => page.$$eval('[data-testid=note-list] .note-title', (els) => els.map((e) => e.textContent));

/** Waits until the sidebar lists exactly `expected` (titles, in order), or fails with what it lists. */
async function listShows(expected) {
  await page.waitForFunction((expected) => {
    const seen = [...document.querySelectorAll('[data-testid=note-list] .note-title')].map((e) => e.textContent);
    return JSON.stringify(seen) === JSON.stringify(expected);
  }, expected, WAIT).catch(() => {}); // the assertion below says what it lists
  const seen = (await page.getByTestId('note-list').count()) ? await titles() : [];
  assert.deepEqual(seen, expected);
}

/** Waits for the editor to report that everything typed is stored. */
const saved = () => page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);

async function writeNote(title, tags, body) {
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.getByLabel('Title').waitFor(WAIT);
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Tags').fill(tags);
  await page.getByLabel('Note', { exact: true }).fill(body);
  await saved();
}

async function unlock(password) {
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
}

test('onboarding: names the device and creates the first vault with a strength hint', async () => {
  await page.goto(site.url);
  await page.getByRole('heading', { name: 'Welcome' }).waitFor(WAIT);
  await page.getByLabel('Device name').fill('E2E laptop');
  await shot('01-onboarding-device');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { name: 'Create your first vault' }).waitFor(WAIT);
  await page.getByLabel('Password', { exact: true }).fill('qwerty1');
  assert.match(await page.getByTestId('strength').textContent(), /Very weak/);
  assert.equal(await page.getByRole('button', { name: 'Create vault' }).isDisabled(), true, 'a 7-character password is refused');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  assert.match(await page.getByTestId('strength').textContent(), /Good|Strong/);
  await page.getByLabel('Repeat password').fill(PASSWORD);
  await shot('02-onboarding-vault');
  await page.getByRole('button', { name: 'Create vault' }).click();

  await page.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
  await page.getByText('No notes yet').waitFor(WAIT);
});

test('writes notes; every pause in typing saves a version', async () => {
  await writeNote('Groceries', 'home, shopping', 'milk and eggs');
  await writeNote('Project plan', 'work', 'Ship the demo on Friday.\nThen write the docs.');
  await writeNote('Reading list', 'home', 'Dune, The Left Hand of Darkness');
  await listShows(['Reading list', 'Project plan', 'Groceries']);
  assert.match(await page.locator('.saved-line').textContent(), /on E2E laptop/);
  await shot('03-workspace');
});

test('searches the encrypted title and body, case-insensitively', async () => {
  const search = page.getByLabel('Search notes');
  await search.fill('FRIDAY');
  await listShows(['Project plan']);
  await search.fill('list');
  await listShows(['Reading list']);
  await search.fill('EGG');
  await listShows(['Groceries']);
  await search.fill('nothing like this');
  await page.getByText('No notes match.').waitFor(WAIT);
  await search.fill('');
  await listShows(['Reading list', 'Project plan', 'Groceries']);
});

test('filters by tag', async () => {
  const tags = page.getByRole('navigation', { name: 'Filter by tag' });
  await tags.getByRole('button', { name: '#home' }).click();
  await listShows(['Reading list', 'Groceries']);
  await shot('04-tag-filter');
  await tags.getByRole('button', { name: '#work' }).click();
  await listShows(['Project plan']);
  await tags.getByRole('button', { name: 'All' }).click();
  await listShows(['Reading list', 'Project plan', 'Groceries']);
});

test('history lists versions and restores an old one as the newest', async () => {
  await noteButton('Groceries').click();
  const body = page.getByLabel('Note', { exact: true });
  await body.waitFor(WAIT);
  assert.equal(await body.inputValue(), 'milk and eggs');
  await body.fill('milk, eggs and bread');
  await saved();

  await page.getByRole('button', { name: 'History' }).click();
  const versions = page.getByTestId('versions').getByRole('button');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=versions] button').length >= 3);
  // Newest first: [bread (current), milk and eggs, empty new note].
  await versions.nth(1).click();
  const preview = page.getByTestId('version-preview');
  await preview.getByText('milk and eggs').waitFor(WAIT);
  await shot('05-history');
  await preview.getByRole('button', { name: 'Restore this version' }).click();
  await page.getByTestId('restored').waitFor(WAIT);
  await page.waitForFunction(() => document.querySelector('textarea[aria-label=Note]')?.value === 'milk and eggs');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=versions] button').length >= 4);
  await page.getByRole('button', { name: 'Close history' }).click();
});

test('locks; a wrong password says so and keeps the typing; the right one unlocks', async () => {
  // Typed just before locking: saved by the lock, not lost.
  await page.getByLabel('Title').fill('Groceries for Saturday');
  await page.getByRole('button', { name: 'Lock' }).click();

  await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
  await page.getByRole('button', { name: 'All vaults' }).click();
  await page.getByRole('heading', { name: 'Your vaults' }).waitFor(WAIT);
  await shot('06-vault-list');
  await page.getByRole('button', { name: /Personal/ }).click();
  await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
  await unlock('correct horse battery stapel');
  await page.getByTestId('unlock-error').filter({ hasText: 'Wrong password' }).waitFor(WAIT);
  assert.equal(await page.getByLabel('Password').inputValue(), 'correct horse battery stapel', 'the typing is kept');
  await shot('07-unlock-wrong-password');

  await unlock(PASSWORD);
  await listShows(['Groceries for Saturday', 'Reading list', 'Project plan']);
});

test('reloads offline: the service worker starts the app', async () => {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, WAIT);
  await page.context().setOffline(true);
  try {
    await page.reload();
    await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
    await unlock(PASSWORD);
    await listShows(['Groceries for Saturday', 'Reading list', 'Project plan']);
    // Local only: nothing to sync, so nothing is waiting for the network (the badge follows the
    // sync state, not navigator.onLine).
    await page.getByTestId('network').filter({ hasText: /^Local$/ }).waitFor(WAIT);
    await shot('08-offline');
  } finally {
    await page.context().setOffline(false);
  }
  await page.getByTestId('network').filter({ hasText: 'Local' }).waitFor(WAIT);
});

test('the account panel offers a sync server; without one the app is local only', async () => {
  await page.getByTestId('network').filter({ hasText: 'Local' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account & sync' });
  await dialog.waitFor(WAIT);
  assert.equal(await dialog.getByLabel('Sync server').inputValue(), site.url, 'suggests this origin (proxied server)');
  await dialog.getByText('Local only').waitFor(WAIT);
  await shot('09-account-panel');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
});

test('on a phone the list and the editor take turns', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await shot('10-mobile-list');
  await noteButton('Project plan').click();
  await page.getByRole('button', { name: 'Back to notes' }).waitFor(WAIT);
  await shot('11-mobile-editor');
  await page.getByRole('button', { name: 'Back to notes' }).click();
  await noteList().waitFor(WAIT);
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('a new deployment shows "update ready" and applies it on reload without losing typing', async () => {
  const oldBuild = readFileSync(path.join(distDir(), 'sw.js'), 'utf8').match(/const BUILD = "([^"]+)"/)[1];
  // Deploy: the same files with a new build id (what a rebuild changes: sw.js and index.html).
  deployDir = mkdtempSync(path.join(tmpdir(), 'localful-deploy-'));
  cpSync(distDir(), deployDir, { recursive: true });
  for (const file of ['sw.js', 'index.html']) {
    const text = readFileSync(path.join(deployDir, file), 'utf8');
    writeFileSync(path.join(deployDir, file), text.replaceAll(oldBuild, 'e2e-next'));
  }
  assert.match(await page.getByTestId('build-id').textContent(), new RegExp(oldBuild));
  site.setDir(deployDir);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.getByTestId('update-banner').waitFor(WAIT);

  // Typing, then straight to the update (well inside the 500 ms save delay).
  await noteButton('Reading list').click();
  const body = page.getByLabel('Note', { exact: true });
  await body.waitFor(WAIT);
  await body.fill('Dune, The Left Hand of Darkness, Piranesi');
  await shot('12-update-ready');
  await page.getByRole('button', { name: 'Reload to update' }).click();

  await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
  assert.match(await page.getByTestId('build-id').textContent(), /build e2e-next/);
  await unlock(PASSWORD);
  await noteButton('Reading list').click();
  await page.waitForFunction(
    () => document.querySelector('textarea[aria-label=Note]')?.value === 'Dune, The Left Hand of Darkness, Piranesi',
    null, WAIT);
  assert.equal(await page.getByTestId('update-banner').count(), 0, 'the update is applied');
});

test('another tab opens the vault without the password, sees changes live, and locks both', async () => {
  const other = await browser.context.newPage();
  other.on('pageerror', (e) => errors.push(`tab 2: ${e.message}`));
  try {
    await other.setViewportSize({ width: 1280, height: 800 });
    await other.goto(site.url);
    // The key is handed over by the unlocked tab: no password prompt.
    await other.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
    await page.getByRole('button', { name: '+ New note' }).click();
    await page.getByLabel('Title').fill('Written in tab one');
    await saved();
    await other.getByTestId('note-list').getByRole('button', { name: /^Written in tab one/ }).waitFor(WAIT);
    await other.screenshot({ path: path.join(SCREENSHOTS, '13-second-tab.png') });
    await other.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
  } finally {
    await other.close();
  }
});

test('no page errors', () => {
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
