// "+ New note" while the page's re-render is held back, in headless Chromium. Yew's scheduler
// yields to the browser (a setTimeout) once a run has taken 16 ms, and a state change made while
// it is yielded is only rendered when it resumes: so after the click, the note that was open can
// stay on screen for a moment. The browser soak met this under load: the new note's title was
// typed into the old note's title field (the old note saved with it), and the new note was left
// with an empty title and the body typed next. The open editor must be closed at the click (also
// when another note is chosen in the list), and stay editable if the switch ends back on it.
//
// The test makes that moment happen on purpose: the page's Date.now jumps ahead while a render
// runs (so the scheduler yields), and the scheduler's zero-delay setTimeout is held until the
// test lets it go. Nothing waits on the wall clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, distDir, onboard } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const WAIT = { timeout: 30_000 };

let site, browser, page;
const errors = [];

before(async () => {
  site = await serveDist(distDir());
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(e.message));
  // In the page, before the app: `__render.hold()` makes the next scheduler run yield and keeps
  // its resumption (a zero-delay setTimeout) until `__render.release()`.
  await page.addInitScript(() => {
    const realNow = Date.now.bind(Date);
    const realSetTimeout = window.setTimeout.bind(window);
    let skew = 0; // only grows: the page's time never goes back
    const render = { lagging: false, holding: false, held: [] };
    render.hold = () => { render.lagging = true; render.holding = true; };
    render.release = () => {
      render.lagging = false;
      render.holding = false;
      for (const run of render.held.splice(0)) run();
    };
    window.__render = render;
    Date.now = () => {
      if (render.lagging) skew += 1_000; // every reading 1 s later: any run is past its 16 ms
      return realNow() + skew;
    };
    window.setTimeout = (handler, delay, ...args) => {
      if (render.holding && !delay && typeof handler === 'function') {
        render.lagging = false;
        render.held.push(() => handler(...args));
        return 0;
      }
      return realSetTimeout(handler, delay, ...args);
    };
  });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const saved = () => page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
const titles = () => page.$$eval('[data-testid=note-list] .note-title', (els) => els.map((e) => e.textContent).sort());

/** Waits until the sidebar lists the titles `expected` (any order), or fails with what it lists. */
async function listHas(expected) {
  const want = [...expected].sort();
  await page.waitForFunction((want) => {
    const seen = [...document.querySelectorAll('[data-testid=note-list] .note-title')].map((e) => e.textContent).sort();
    return JSON.stringify(seen) === JSON.stringify(want);
  }, want, WAIT).catch(() => {}); // the assertion below says what it lists
  assert.deepEqual(await titles(), want);
}

/** Opens note `title` and returns what its editor shows once it is open (the shown text if it does not open). */
async function opened(title) {
  await page.getByTestId('note-list').getByRole('button', { name: new RegExp(`^${title}`) }).click(WAIT);
  await page.waitForFunction((t) => document.querySelector('input[aria-label=Title]')?.value === t, title, WAIT).catch(() => {});
  return {
    title: await page.getByLabel('Title').inputValue(),
    body: await page.getByLabel('Note', { exact: true }).inputValue(),
  };
}

/** Writes a new note (the page renders as usual). */
async function writeNote(title, body) {
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Note', { exact: true }).fill(body);
  await saved();
}

/**
 * Starts a render that yields (the open editor's history panel opening) and holds its
 * resumption: the scheduler counts as running, so a state change is not rendered until
 * `__render.release()`.
 */
async function holdRendering() {
  await page.evaluate(() => window.__render.hold());
  await page.getByRole('button', { name: 'History' }).click();
  await page.waitForFunction(() => window.__render.held.length > 0, null, WAIT);
}

test('typing in the open note after "+ New note", before the page re-renders, does not reach that note', async () => {
  await onboard(page, site.url, 'Held render', PASSWORD);
  await writeNote('Old note', 'Old body');
  await listHas(['Old note']);

  await holdRendering();

  await page.getByRole('button', { name: '+ New note' }).click();
  // The old note's editor is still on screen: the user types the new title into its field, as
  // Playwright's fill does (select all, insert). The editor is closed: nothing may change.
  const field = page.getByLabel('Title');
  assert.equal(await field.inputValue(), 'Old note', 'the old editor is still shown while the render is held');
  await field.selectText();
  await page.keyboard.insertText('New title');
  await page.evaluate(() => window.__render.release());

  // The new note opens, empty; the user writes it.
  await page.getByTestId('creating-note').waitFor({ state: 'detached', ...WAIT });
  await page.waitForFunction(() => document.querySelector('input[aria-label=Title]')?.value === '', null, WAIT);
  await page.getByLabel('Title').fill('New title');
  await page.getByLabel('Note', { exact: true }).fill('New body');
  await saved();

  await listHas(['New title', 'Old note']);
  assert.deepEqual(await opened('Old note'), { title: 'Old note', body: 'Old body' });
  assert.deepEqual(await opened('New title'), { title: 'New title', body: 'New body' });
});

test('typing in the open note after choosing another one, before the page re-renders, does not reach that note', async () => {
  await writeNote('Left note', 'Left body');
  await writeNote('Chosen note', 'Chosen body');
  assert.deepEqual(await opened('Left note'), { title: 'Left note', body: 'Left body' });

  await holdRendering();
  await page.getByTestId('note-list').getByRole('button', { name: /^Chosen note/ }).click();
  const field = page.getByLabel('Title');
  assert.equal(await field.inputValue(), 'Left note', 'the old editor is still shown while the render is held');
  await field.selectText();
  await page.keyboard.insertText('Typed early');
  await page.evaluate(() => window.__render.release());

  await page.waitForFunction(() => document.querySelector('input[aria-label=Title]')?.value === 'Chosen note', null, WAIT);
  assert.deepEqual(await opened('Left note'), { title: 'Left note', body: 'Left body' });
  assert.deepEqual(await opened('Chosen note'), { title: 'Chosen note', body: 'Chosen body' });
});

test('choosing another note and then the open one again, before the page re-renders, leaves the open one editable', async () => {
  assert.deepEqual(await opened('Left note'), { title: 'Left note', body: 'Left body' });
  await holdRendering();
  await page.getByTestId('note-list').getByRole('button', { name: /^Chosen note/ }).click();
  await page.getByTestId('note-list').getByRole('button', { name: /^Left note/ }).click();
  await page.evaluate(() => window.__render.release());

  await page.getByLabel('Note', { exact: true }).fill('Left body, edited');
  await saved();
  assert.deepEqual(await opened('Chosen note'), { title: 'Chosen note', body: 'Chosen body' });
  assert.deepEqual(await opened('Left note'), { title: 'Left note', body: 'Left body, edited' });
});

test('no page errors', () => {
  assert.deepEqual(errors, []);
});
