// The example apps (examples/local-notes, examples/synced-notes) built by trunk, in headless
// Chromium: what the README promises a new app does. scripts/test.sh (examples suite) builds
// them into LOCALFUL_EXAMPLES_DIST/{local-notes,synced-notes}, the synced one for a server at
// 127.0.0.1:LOCALFUL_EXAMPLES_SERVER_PORT (its SYNC_SERVER_URL), where this test starts it.
// Every wait is on the page (a DOM node, an input's value), bounded by WAIT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, startServer, launchBrowser, SCREENSHOTS } from '../e2e/harness.mjs';

const WAIT = { timeout: 60_000 };
const PASSWORD = 'correct horse battery staple';

function dist(app) {
  const dir = process.env.LOCALFUL_EXAMPLES_DIST;
  if (!dir) throw new Error('LOCALFUL_EXAMPLES_DIST is not set: run the examples suite through scripts/test.sh');
  return path.join(dir, app);
}

async function open(browser, url, errors) {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  await page.goto(url);
  return page;
}

/** Types `text` into `input` and commits it (the apps act on `change`). */
async function enter(input, text) {
  await input.fill(text);
  await input.press('Enter');
}

/** Waits until the note titles shown are exactly `titles`, in order. */
function titles(page, expected) {
  return page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('input[aria-label="Title"]')].map((i) => i.value)) === want,
    JSON.stringify(expected), WAIT,
  );
}

/** Adds a note and names it `title`; `after` are the titles shown once it is named. */
async function addNote(page, title, after) {
  const before = await page.getByLabel('Title').count();
  await page.getByRole('button', { name: 'Add' }).click();
  await page.getByLabel('Title').nth(before).waitFor(WAIT);
  // "New note" sorts after the titles used here: the new one is last.
  await enter(page.getByLabel('Title').nth(before), title);
  await titles(page, after);
}

test('local-notes: create a vault, add and rename notes, reload, unlock: the notes are there; lock', async () => {
  const errors = [];
  const site = await serveDist(dist('local-notes'));
  const browser = await launchBrowser();
  let page;
  try {
    page = await open(browser, site.url, errors);
    await enter(page.getByLabel('Password for a new vault'), PASSWORD);
    await page.getByRole('button', { name: 'Lock' }).waitFor(WAIT);
    await addNote(page, 'Groceries', ['Groceries']);
    await addNote(page, 'Ideas', ['Groceries', 'Ideas']);
    await enter(page.getByLabel('Title').nth(0), 'Errands');
    await titles(page, ['Errands', 'Ideas']);

    await page.reload();
    await enter(page.getByLabel('Password for Personal'), PASSWORD);
    await titles(page, ['Errands', 'Ideas']);

    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Password for Personal').waitFor(WAIT);
    assert.equal(await page.getByLabel('Title').count(), 0, 'a locked vault shows no note');
    await enter(page.getByLabel('Password for Personal'), 'not the password');
    await page.locator('.error').waitFor(WAIT);
    assert.deepEqual(errors, []);
  } catch (e) {
    await page?.screenshot({ path: path.join(SCREENSHOTS, 'examples-local-notes-failed.png') }).catch(() => {});
    throw e;
  } finally {
    await browser.close();
    await site.close();
  }
});

test('synced-notes: two browsers on one account; an edit on each reaches the other', async () => {
  const port = Number(process.env.LOCALFUL_EXAMPLES_SERVER_PORT);
  assert.ok(port, 'LOCALFUL_EXAMPLES_SERVER_PORT is set (the port the example was built for)');
  const errors = [];
  const sites = [await serveDist(dist('synced-notes')), await serveDist(dist('synced-notes'))];
  const server = await startServer({
    LOCALFUL_ALLOWED_ORIGINS: sites.map((s) => s.url).join(','),
    LOCALFUL_ARGON2_MEMORY_KIB: '1024', LOCALFUL_ARGON2_ITERATIONS: '1',
  }, { port });
  const browsers = [await launchBrowser(), await launchBrowser()];
  const pages = [];
  try {
    const [a, b] = [await open(browsers[0], sites[0].url, errors), await open(browsers[1], sites[1].url, errors)];
    pages.push(a, b);
    const account = async (page, button) => {
      await page.getByLabel('Email').fill('grace@example.com');
      await page.getByLabel('Account password').fill('an account passphrase');
      await page.getByRole('button', { name: button }).click();
      await page.getByText('Logged in as grace@example.com').waitFor(WAIT);
    };

    // A fresh profile starts the SharedWorker: its first connect comes before the worker listens
    // (the worker's announcement brings the tab back), so being logged in shows that too.
    await account(a, 'Register');
    await enter(a.getByLabel('Password for a new vault'), PASSWORD);
    await a.getByRole('button', { name: 'Sync this vault' }).click();
    await addNote(a, 'From the laptop', ['From the laptop']);

    await account(b, 'Log in');
    await enter(b.getByLabel('Password for Personal'), PASSWORD);
    await titles(b, ['From the laptop']);

    await enter(b.getByLabel('Title').nth(0), 'Edited on the phone');
    await titles(a, ['Edited on the phone']);
    await enter(a.getByLabel('Title').nth(0), 'Edited on the laptop');
    await titles(b, ['Edited on the laptop']);
    assert.equal(await a.locator('.error').count() + await b.locator('.error').count(), 0, 'no error shown');
    assert.deepEqual(errors, []);
  } catch (e) {
    for (const [i, page] of pages.entries()) {
      await page.screenshot({ path: path.join(SCREENSHOTS, `examples-synced-notes-failed-${i}.png`) }).catch(() => {});
    }
    throw e;
  } finally {
    for (const browser of browsers) await browser.close();
    await server.stop();
    for (const site of sites) await site.close();
  }
});
