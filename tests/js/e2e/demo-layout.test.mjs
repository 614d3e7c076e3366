// The demo's layout from a 320 px phone to a desktop, in headless Chromium: the list, editor,
// history and account screens with a long title, a long unbroken word and many tags. On each
// width and screen: nothing widens the page (`scrollWidth <= innerWidth`), "+ New note", "Lock"
// and the sync badge are on screen wherever the list shows (on a phone's editor and history, the
// way back is), and on a phone every control is a touch target of at least 44 × 44 px. The
// history also shows, word by word, what changed since the chosen version. Each screen is saved
// as a PNG under target/e2e/screenshots/ for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serveDist, startServer, launchBrowser, distDir, onboard } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const WAIT = { timeout: 30_000 };
const SHOTS = path.resolve(import.meta.dirname, '../../../target/e2e/screenshots');
/** Phones (the narrowest first), then a desktop. */
const WIDTHS = [320, 360, 390, 414, 1280];
/** Below this width the demo shows one pane at a time (the stylesheet's phone breakpoint). */
const PHONE = 760;
/** The smallest touch target on a phone, in CSS pixels. */
const TOUCH = 44;

const LONG_TITLE = 'Notes from the quarterly planning meeting about the roadmap, the budget and the hiring plan for next year';
const LONG_WORD = 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(4);
const MANY_TAGS = 'work, planning, meetings, roadmap, budget, hiring, quarterly, follow-up, important, '
  + 'someday, ideas, reading, an-extraordinarily-long-tag-without-any-spaces-in-it';

let site, server, browser, page;
const errors = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  site = await serveDist(distDir());
  server = await startServer();
  site.setProxy(server.url);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(e.message));
});
after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
});

const saved = () => page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
const noteButton = (title) => page.getByTestId('note-list').getByRole('button', { name: new RegExp(`^${title.slice(0, 30)}`) });
const dialog = () => page.getByRole('dialog', { name: 'Account & sync' });
const back = () => page.getByRole('button', { name: 'Back to notes' });

async function writeNote(title, tags, body) {
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.getByLabel('Title').waitFor(WAIT);
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Tags').fill(tags);
  await page.getByLabel('Note', { exact: true }).fill(body);
  await saved();
}

/**
 * What the layout checks read in the page: the document's width against the viewport's, where
 * the sidebar's three controls and the way back (to the list, or from the history to the note)
 * are (`null`: not displayed), and the controls smaller than a touch target.
 */
function measure() {
  const box = (el) => {
    if (!el || !el.getClientRects().length) return null;
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  const byText = (text) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === text);
  const small = [];
  for (const el of document.querySelectorAll('button, input:not([type=checkbox]), textarea, select, a[href], label.check')) {
    if (!el.getClientRects().length) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 44 || r.height < 44) {
      small.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.getAttribute('aria-label') ?? el.textContent).trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth,
    innerHeight,
    controls: {
      '+ New note': box(byText('+ New note')),
      Lock: box(document.querySelector('button[aria-label=Lock]')),
      'sync badge': box(document.querySelector('[data-testid=network]')),
    },
    back: box([...document.querySelectorAll('button[aria-label="Back to notes"], button[aria-label="Close history"]')]
      .find((b) => b.getClientRects().length)),
    small,
  };
}

const inside = (r, m) => r.left >= 0 && r.top >= 0 && r.right <= m.innerWidth && r.bottom <= m.innerHeight;

/**
 * Checks the screen on show at `width` and saves its screenshot as `<screen>-<width>.png`.
 * `list`: whether the list (and so the sidebar's controls) is meant to be on screen; `card`: a
 * screen outside the workspace (unlock, vault list), with neither the sidebar nor a way back.
 */
async function check(screen, width, { list = false, card = false }) {
  await page.screenshot({ path: path.join(SHOTS, `${screen}-${width}.png`) });
  const m = await page.evaluate(measure);
  const where = `${screen} at ${width} px`;
  assert.ok(m.scrollWidth <= m.innerWidth, `${where}: the page is ${m.scrollWidth} px wide in a ${m.innerWidth} px viewport`);
  for (const [name, r] of Object.entries(card ? {} : m.controls)) {
    if (list) assert.ok(r, `${where}: "${name}" is displayed`);
    if (r) assert.ok(inside(r, m), `${where}: "${name}" is within the viewport (${JSON.stringify(r)})`);
  }
  if (width < PHONE) {
    if (!list && !card) assert.ok(m.back && inside(m.back, m), `${where}: the way back is within the viewport`);
    assert.deepEqual(m.small, [], `${where}: controls smaller than ${TOUCH} × ${TOUCH} px`);
  }
}

/** Shows the list with no note open (a phone's back action closes the editor on every width). */
async function showList(width) {
  if (await back().isVisible()) await back().click();
  else if (await page.getByTestId('save-status').count()) {
    await page.setViewportSize({ width: 390, height: 740 });
    await back().click();
  }
  await page.getByTestId('save-status').waitFor({ state: 'detached' });
  await page.setViewportSize({ width, height: width < PHONE ? 740 : 800 });
  await page.getByTestId('note-list').waitFor(WAIT);
}

test('notes with a long title, a long unbroken word and many tags', async () => {
  await onboard(page, site.url, 'Layout phone', PASSWORD);
  await writeNote('Groceries', 'home', 'milk and eggs');
  await writeNote(LONG_WORD, 'words', `${LONG_WORD} is a word.`);
  await writeNote(LONG_TITLE, MANY_TAGS, `${LONG_WORD} opens this note.\n\nThe first draft.`);
  // Two more versions for the history.
  const body = page.getByLabel('Note', { exact: true });
  await body.fill(`${LONG_WORD} opens this note.\n\nThe second draft.`);
  await saved();
  await body.fill(`${LONG_WORD} opens this note.\n\nThe third draft, with a ${LONG_WORD} in the middle.`);
  await saved();
});

for (const width of WIDTHS) {
  test(`at ${width} px: list, editor, history and account screens fit`, async () => {
    await showList(width);
    await check('list', width, { list: true });

    await noteButton(LONG_TITLE).click();
    await page.getByTestId('save-status').waitFor(WAIT);
    await page.waitForFunction(() => document.querySelector('textarea[aria-label=Note]')?.value.includes('third draft'), null, WAIT);
    await check('editor', width, { list: width >= PHONE });

    await page.getByRole('button', { name: 'History' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=versions] button').length >= 3, null, WAIT);
    // Newest first: the third draft (current), the second, the first.
    await page.getByTestId('versions').getByRole('button').nth(2).click();
    await page.getByTestId('version-preview').getByText('The first draft.').waitFor(WAIT);
    // The changes since, word by word: "first draft." became "third draft, with a … in the middle."
    const changes = page.getByTestId('version-diff');
    await changes.locator('del').filter({ hasText: 'first' }).waitFor(WAIT);
    await changes.locator('ins').filter({ hasText: 'third' }).waitFor(WAIT);
    assert.equal(await changes.locator('del').filter({ hasText: 'opens this note' }).count(), 0, 'unchanged words are not struck');
    await check('history', width, { list: width >= PHONE });
    await changes.screenshot({ path: path.join(SHOTS, `history-changes-${width}.png`) }); // scrolls the history
    await page.getByRole('button', { name: 'Close history' }).click();

    await showList(width);
    await page.getByTestId('network').click();
    await dialog().waitFor(WAIT);
    // The server field is filled in: use it, so the screen shows the login form too.
    if (!(await dialog().getByRole('heading', { name: 'Log in' }).count())) await dialog().getByRole('button', { name: 'Use' }).click();
    await dialog().getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
    await check('account', width, { list: true });
    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'detached' });
  });
}

test('on phones, the unlock and vault list screens fit too', async () => {
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 740 });
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
    await check('unlock', width, { card: true });
    await page.getByRole('button', { name: 'All vaults' }).click();
    await page.getByRole('heading', { name: 'Your vaults' }).waitFor(WAIT);
    await check('vaults', width, { card: true });
    await page.getByRole('button', { name: /Personal/ }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByTestId('note-list').waitFor(WAIT);
  }
});

test('no page errors', () => {
  assert.deepEqual(errors, []);
});
