// Changing a vault's password in the demo, in headless Chromium: the dialog (current password, new
// password with its strength hint, repeat) says in plain words what is wrong; after the change a
// tab unlocked before it keeps working, the old password no longer unlocks, the new one does, and
// the notes are all there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { serveDist, launchBrowser, distDir, onboard, SCREENSHOTS } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'seven lanterns over quiet water';
const WAIT = { timeout: 30_000 };
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let site, browser, page, tab2;
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

const shot = (p, name) => p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
const dialog = () => page.getByRole('dialog', { name: 'Change the password of “Personal”' });
const noteButton = (p, title) => p.getByTestId('note-list').getByRole('button', { name: new RegExp(`^${title}`) });

async function newNote(p, title) {
  await p.getByRole('button', { name: '+ New note' }).click();
  await p.getByLabel('Title').fill(title);
  await noteButton(p, title).waitFor(WAIT);
  await p.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
}

/** axe-core's serious and critical violations on the page as it is (none expected). */
async function audit(screen) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${screen}: serious or critical axe-core violations`);
}

async function fill({ current, next, repeat = next }) {
  await dialog().getByLabel('Current password').fill(current);
  await dialog().getByLabel('New password', { exact: true }).fill(next);
  await dialog().getByLabel('Repeat new password').fill(repeat);
}

test('a vault password is changed from the workspace', async () => {
  await onboard(page, site.url, 'Laptop', PASSWORD);
  await newNote(page, 'Secret plan');
  // A second tab, unlocked by the first one's key.
  tab2 = await browser.context.newPage();
  tab2.on('pageerror', (e) => errors.push(`tab 2: ${e.message}`));
  await tab2.setViewportSize({ width: 1280, height: 800 });
  await tab2.goto(site.url);
  await noteButton(tab2, 'Secret plan').waitFor(WAIT);

  await page.getByRole('button', { name: 'Change password' }).click();
  await dialog().waitFor(WAIT);
  const submit = dialog().getByRole('button', { name: 'Change password' });

  // The form says what is missing before anything is sent.
  await fill({ current: PASSWORD, next: 'short' });
  await dialog().getByText('Use at least 8 characters.').waitFor(WAIT);
  assert.equal(await submit.isDisabled(), true);
  await fill({ current: PASSWORD, next: NEW_PASSWORD, repeat: 'something else' });
  await dialog().getByText('The new passwords do not match.').waitFor(WAIT);
  assert.equal(await submit.isDisabled(), true);
  await dialog().getByTestId('strength').waitFor(WAIT);

  // A wrong current password: plain words, nothing changed.
  await fill({ current: 'not my password', next: NEW_PASSWORD });
  await submit.click();
  const error = dialog().getByTestId('password-error');
  await error.waitFor(WAIT);
  assert.equal(await error.textContent(), 'The current password is not right. Type the password you unlock this vault with.');
  await audit('change password dialog with an error');
  await shot(page, 'change-password-wrong-current');

  await fill({ current: PASSWORD, next: NEW_PASSWORD });
  await submit.click();
  await dialog().getByTestId('password-changed').waitFor(WAIT);
  await shot(page, 'change-password-done');
  await dialog().getByRole('button', { name: 'Done' }).click();
  await dialog().waitFor({ state: 'detached', ...WAIT });
});

test('the tab unlocked before the change keeps working', async () => {
  await newNote(tab2, 'Written in tab 2');
  await noteButton(page, 'Written in tab 2').waitFor(WAIT);
});

test('after a lock the old password is refused and the new one opens every note', async () => {
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByRole('heading', { name: 'Unlock Personal' }).waitFor(WAIT);
  const unlock = async (password) => {
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  };
  await unlock(PASSWORD);
  await page.getByTestId('unlock-error').filter({ hasText: 'Wrong password' }).waitFor(WAIT);
  await unlock(NEW_PASSWORD);
  await page.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
  await noteButton(page, 'Secret plan').waitFor(WAIT);
  await noteButton(page, 'Written in tab 2').waitFor(WAIT);
});

test('the dialog fits a phone', async () => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.getByRole('button', { name: 'Change password' }).click();
  await dialog().waitFor(WAIT);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the 320 px screen`);
  await shot(page, 'change-password-320');
  await page.keyboard.press('Escape');
  await dialog().waitFor({ state: 'detached', ...WAIT });
  assert.deepEqual(errors, [], 'the pages threw');
});
