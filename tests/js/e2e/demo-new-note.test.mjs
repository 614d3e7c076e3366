// "+ New note" under fast hands, in headless Chromium: the title typed straight after the click
// belongs to the new note, never to the note that was open, and nothing typed is lost. The new
// note's title has the focus, so typing without clicking the field lands there too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, distDir, onboard } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const WAIT = { timeout: 30_000 };
const ROUNDS = 12;

let site, browser, page;
const errors = [];

before(async () => {
  site = await serveDist(distDir());
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(e.message));
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const titles = () => page.$$eval('[data-testid=note-list] .note-title', (els) => els.map((e) => e.textContent));
const saved = () => page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);

/** Waits until the sidebar lists the titles of `expected` (any order), or fails with what it lists. */
async function listHas(expected) {
  const want = [...expected].sort();
  await page.waitForFunction((want) => {
    const seen = [...document.querySelectorAll('[data-testid=note-list] .note-title')].map((e) => e.textContent).sort();
    return JSON.stringify(seen) === JSON.stringify(want);
  }, want, WAIT).catch(() => {}); // the assertion below says what it lists
  const seen = (await page.getByTestId('note-list').count()) ? (await titles()).sort() : [];
  assert.deepEqual(seen, want);
}

test('a title filled right after "+ New note" goes to the new note, with another note open', async () => {
  await onboard(page, site.url, 'Fast hands', PASSWORD);

  const expected = [];
  for (let i = 1; i <= ROUNDS; i++) {
    // No wait between the click and the fill: the previous note's editor is open at the click.
    await page.getByRole('button', { name: '+ New note' }).click();
    await page.getByLabel('Title').fill(`Quick note ${i}`);
    expected.push(`Quick note ${i}`);
  }
  await saved();
  await listHas(expected);
});

test('the new note\'s title has the focus: typing without a click lands there', async () => {
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.getByLabel('Title').waitFor(WAIT);
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Title', null, WAIT);
  await page.keyboard.type('Typed at once');
  await saved();
  await page.getByTestId('note-list').getByRole('button', { name: /^Typed at once/ }).waitFor(WAIT);
});

test('no page errors', () => {
  assert.deepEqual(errors, []);
});
