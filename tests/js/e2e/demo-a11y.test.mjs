// Accessibility of the demo, in headless Chromium: axe-core (injected into the page) finds no
// moderate, serious or critical violation on the list, editor, history and account screens, on a desktop
// and on a phone, nor on the unlock and vault list screens; a keyboard alone creates, edits and
// searches notes, opens a note's history and restores an old version, with the focus visible on
// every control it lands on; and the account dialog takes the focus, keeps Tab inside, and gives
// the focus back on Escape.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serveDist, startServer, launchBrowser, distDir, onboard } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const WAIT = { timeout: 30_000 };
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** How many Tab presses may separate two controls before the focus order counts as lost. */
const MAX_TABS = 60;

let site, server, browser, page;
const errors = [];

before(async () => {
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
const dialog = () => page.getByRole('dialog', { name: 'Account & sync' });
const bodyValue = () => page.evaluate(() => document.querySelector('textarea[aria-label=Note]')?.value);

/**
 * Runs axe-core on the page as it is and fails with every violation of moderate impact or
 * worse (serious, critical), each with its rule, impact and the elements it found. The page's CSP allows no injected script tag:
 * the library is evaluated through the DevTools protocol instead, once per document.
 */
async function audit(screen) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  const bad = violations.filter((v) => v.impact !== 'minor');
  assert.deepEqual(bad, [], `${screen}: axe-core violations of moderate impact or worse`);
}

/**
 * What has the focus: its accessible name as a person would hear it, and whether a focus ring
 * shows; `null` when the focus left the page (Tab past its last control reaches the browser's UI).
 */
function focused() {
  const el = document.activeElement;
  if (!el || el === document.body) return null; // past the page's last control: the browser's own
  const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
  const name = (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').trim();
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  return { name, testid: el.dataset.testid ?? null, tag: el.tagName.toLowerCase(), visible: ring };
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until the focused control's name matches `name` (a
 * string, a RegExp, or `{ testid }`), and checks that every control the focus passed through
 * showed that it had the focus.
 */
async function tabTo(name, { backwards = false } = {}) {
  const matches = (now) => (name instanceof RegExp ? name.test(now.name)
    : typeof name === 'string' ? now.name === name : now.testid === name.testid);
  const passed = [];
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const now = await page.evaluate(focused);
    if (!now) continue;
    assert.ok(now.visible, `the focus on ${now.tag} "${now.name}" is visible`);
    if (matches(now)) return;
    passed.push(now.name);
  }
  assert.fail(`no control named ${JSON.stringify(name) ?? name} within ${MAX_TABS} Tab presses (passed: ${passed.join(' | ')})`);
}

test('axe-core: no moderate, serious or critical violations on the list, editor, history and account screens', async () => {
  await onboard(page, site.url, 'Axe laptop', PASSWORD);
  for (const [title, tags, body] of [['Groceries', 'home, errands', 'milk and eggs'], ['Project plan', 'work', 'first draft']]) {
    await page.getByRole('button', { name: '+ New note' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Tags').fill(tags);
    await page.getByLabel('Note', { exact: true }).fill(body);
    await saved();
  }
  await page.getByLabel('Note', { exact: true }).fill('second draft');
  await saved();

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 });
    if (await page.getByRole('button', { name: 'Back to notes' }).isVisible()) await page.getByRole('button', { name: 'Back to notes' }).click();
    await page.getByTestId('note-list').waitFor(WAIT);
    await audit(`list at ${width} px`);
    await page.getByTestId('note-list').getByRole('button', { name: /^Project plan/ }).click();
    await page.getByTestId('save-status').waitFor(WAIT);
    await audit(`editor at ${width} px`);
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByTestId('versions').getByRole('button').nth(1).click(); // newest first: the first draft
    await page.getByTestId('version-preview').getByText('first draft').waitFor(WAIT);
    await audit(`history at ${width} px`);
    await page.getByRole('button', { name: 'Close history' }).click();
    if (width < 760) await page.getByRole('button', { name: 'Back to notes' }).click();
    await page.getByTestId('network').click();
    await dialog().waitFor(WAIT);
    if (!(await dialog().getByRole('heading', { name: 'Log in' }).count())) await dialog().getByRole('button', { name: 'Use' }).click();
    await dialog().getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
    await audit(`account at ${width} px`);
    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'detached' });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('keyboard only: create, edit, search, open history and restore a note', async () => {
  // Start from nothing focused: the keyboard takes it from the top of the page.
  await page.evaluate(() => document.activeElement?.blur());

  // Create: the new note's title has the focus; Tab moves through tags to the text.
  await tabTo('+ New note');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Title', null, WAIT);
  await page.keyboard.type('Typed by keyboard');
  await tabTo('Tags');
  await page.keyboard.type('keys');
  await tabTo('Note');
  await page.keyboard.type('the first words');
  await saved();

  // Edit: more text, a second version.
  await page.keyboard.type(', and more words');
  await saved();
  assert.equal(await bodyValue(), 'the first words, and more words');

  // Search: back to the search field, and open the one note that matches from the list.
  await tabTo('Search notes', { backwards: true });
  await page.keyboard.type('keyboard');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=note-list] .note').length === 1, null, WAIT);
  await tabTo(/^Typed by keyboard/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('textarea[aria-label=Note]')?.value === 'the first words, and more words', null, WAIT);

  // History: open it, choose the version before the last edit (the second row: newest first), restore it.
  await tabTo('History');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=versions] button').length >= 2, null, WAIT);
  await tabTo('Close history');
  await tabTo(/current$/);
  await tabTo(/Axe laptop$/);
  await page.keyboard.press('Enter');
  await page.getByTestId('version-preview').getByText('the first words', { exact: true }).waitFor(WAIT);
  await tabTo('Restore this version');
  await page.keyboard.press('Enter');
  await page.getByTestId('restored').waitFor(WAIT);
  await page.waitForFunction(() => document.querySelector('textarea[aria-label=Note]')?.value === 'the first words', null, WAIT);
});

test('keyboard only: the account dialog takes the focus, keeps it, and gives it back on Escape', async () => {
  await tabTo({ testid: 'network' });
  await page.keyboard.press('Enter');
  await dialog().waitFor(WAIT);
  await page.waitForFunction(() => document.activeElement?.closest('[role=dialog]') !== null, null, WAIT);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Close');
  // Shift+Tab from its first control goes round to its last, Tab from there back to the first:
  // the page behind the dialog is out of reach.
  const inDialog = () => page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null);
  await page.keyboard.press('Shift+Tab');
  assert.ok(await inDialog(), 'Shift+Tab from the first control stays in the dialog');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Close');
  await tabTo('Sync server');
  await page.keyboard.press('Escape');
  await dialog().waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'network', null, WAIT);
});

test('axe-core: no moderate, serious or critical violations on the unlock and vault list screens', async () => {
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
  await audit('unlock');
  await page.getByRole('button', { name: 'All vaults' }).click();
  await page.getByRole('heading', { name: 'Your vaults' }).waitFor(WAIT);
  await audit('vault list');
});

test('no page errors', () => {
  assert.deepEqual(errors, []);
});
