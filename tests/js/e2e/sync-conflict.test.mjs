// Two devices edit the same note while the server is out of reach: when it is back, both show the
// same current version (last write wins: the later edit), and both edits stay in the note's
// history on both devices. Two browser profiles against one real localful-server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WAIT, saved, noteButton, badge, shot, pageErrors, twoDevices, closeDevices, sameEverywhere } from './devices.mjs';

let env;

before(async () => {
  env = await twoDevices();
});
after(async () => {
  await closeDevices(env);
});

const body = (page) => page.getByLabel('Note', { exact: true });

/** The note's history on `page`, newest first: `[{ device, current }]`. */
async function history(page) {
  const panel = page.getByRole('complementary', { name: 'History' });
  if (!(await panel.count())) await page.getByRole('button', { name: 'History' }).click();
  await panel.getByTestId('versions').waitFor(WAIT);
  return panel.locator('.version').evaluateAll((els) => els.map((el) => ({
    device: el.querySelector('.version-device')?.textContent,
    current: !!el.querySelector('.tag'),
  })));
}

test('offline edits of one note on both devices converge by last write wins, both kept in history', async (t) => {
  const { sites, server, a, b } = env;
  sites.laptop.setProxy(null);
  sites.phone.setProxy(null);
  await Promise.all([badge(a, /Connecting|Not syncing|Offline/), badge(b, /Connecting|Not syncing|Offline/)]);
  for (const page of [a, b]) await noteButton(page, 'First note').click();

  await body(a).fill('the laptop’s offline edit');
  await saved(a);
  await body(b).fill('the phone’s offline edit, written later');
  await saved(b);
  const before = (await env.api.versions(env.vaultId)).length;

  sites.laptop.setProxy(server.url);
  sites.phone.setProxy(server.url);
  t.diagnostic(`versions everywhere: ${await sameEverywhere(env, before + 2)}`);
  for (const page of [a, b]) {
    await page.waitForFunction(
      () => document.querySelector('textarea[aria-label=Note]')?.value === 'the phone’s offline edit, written later', null, WAIT);
  }
  await Promise.all([badge(a, 'Synced'), badge(b, 'Synced')]);

  for (const [name, page] of [['laptop', a], ['phone', b]]) {
    const versions = await history(page);
    assert.deepEqual(versions.slice(0, 2), [{ device: 'Phone', current: true }, { device: 'Laptop', current: false }],
      `the ${name}'s history: the phone's edit is current, the laptop's is kept below it (${JSON.stringify(versions)})`);
  }
  await shot(a, '47-laptop-history-after-conflict');
});

test('no page errors', () => {
  assert.deepEqual(pageErrors, []);
});
