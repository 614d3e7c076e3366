// Localful Notes with the real localful-server behind the page's origin (proxied /v1 and
// /socket.io, as trunk does for the demo): an unreachable server says so; registering logs in and
// the vault syncs; logging out stops it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, startServer, launchBrowser, distDir, onboard, SCREENSHOTS } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const WAIT = { timeout: 30_000 };

let site, server, closed, browser, page, device, p2;

before(async () => {
  site = await serveDist(distDir());
  // The sync socket checks the page's Origin.
  server = await startServer({ LOCALFUL_ALLOWED_ORIGINS: site.url });
  closed = await startServer({ LOCALFUL_ALLOWED_ORIGINS: site.url, LOCALFUL_REGISTRATION_ENABLED: 'false' });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
});
after(async () => {
  await device?.close();
  await browser?.close();
  await server?.stop();
  await closed?.stop();
  await site?.close();
});

const shot = (name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
const dialog = () => page.getByRole('dialog', { name: 'Account & sync' });

test('onboards and writes a note, local only', async () => {
  await onboard(page, site.url, 'Sync laptop', PASSWORD);
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.getByLabel('Title').fill('Hello server');
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
});

test('with the server down, logging in says the server cannot be reached and keeps the typing', async () => {
  await page.getByTestId('network').click();
  await dialog().getByRole('button', { name: 'Use' }).click();
  await dialog().getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
  await dialog().getByLabel('Email').fill('ada@example.com');
  await dialog().getByLabel('Account password').fill('an account passphrase');
  await dialog().getByRole('button', { name: 'Log in' }).click();
  await dialog().getByTestId('account-error').filter({ hasText: 'cannot be reached' }).waitFor(WAIT);
  assert.equal(await dialog().getByLabel('Email').inputValue(), 'ada@example.com');
  assert.equal(await dialog().getByLabel('Account password').inputValue(), 'an account passphrase');
  await shot('20-account-unreachable');
});

test('a server that takes no new accounts says so, and the form keeps its typing', async () => {
  site.setProxy(closed.url);
  await dialog().getByRole('button', { name: 'Create an account' }).click();
  await dialog().getByLabel('Display name').fill('Ada');
  await dialog().getByRole('button', { name: 'Register' }).click();
  await dialog().getByTestId('account-error').filter({ hasText: 'does not accept new accounts' }).waitFor(WAIT);
  assert.equal(await dialog().getByLabel('Display name').inputValue(), 'Ada');
});

test('registers and turns on sync for the vault', async () => {
  site.setProxy(server.url);
  await dialog().getByRole('button', { name: 'Register' }).click();
  await dialog().getByText('Logged in as ada@example.com').waitFor(WAIT);
  await dialog().getByRole('button', { name: /^Sync “Personal”/ }).click();
  await dialog().getByText('“Personal” is synced.').waitFor(WAIT);
  await dialog().getByTestId('sync-status').waitFor(WAIT);
});

test('the sync status reaches "up to date"', async () => {
  try {
    await dialog().getByTestId('sync-status').getByText('Up to date').waitFor(WAIT);
    await page.getByTestId('network').filter({ hasText: 'Synced' }).waitFor({ timeout: 1_000 });
    await shot('21-account-synced');
  } finally {
    await dialog().getByRole('button', { name: 'Close' }).click();
  }
});

// The sync worker downloads the account's vaults into the new device's registry ("server only"
// vaults, SPEC "Vault states"); unlocking one syncs its notes.
test('a second device logs in, gets the vault, unlocks it and sees the note', async () => {
  device = await launchBrowser();
  {
    p2 = await device.context.newPage();
    await p2.setViewportSize({ width: 1280, height: 800 });
    await p2.goto(site.url);
    await p2.getByLabel('Device name').fill('Sync phone');
    await p2.getByRole('button', { name: 'Continue' }).click();
    await p2.getByRole('button', { name: 'Log in to sync your vaults' }).click();
    const panel = p2.getByRole('dialog', { name: 'Account & sync' });
    await panel.getByRole('button', { name: 'Use' }).click();
    await panel.getByLabel('Email').fill('ada@example.com');
    await panel.getByLabel('Account password').fill('an account passphrase');
    await panel.getByRole('button', { name: 'Log in' }).click();
    // The account's vaults arrive from the server: the vault list replaces "create your first vault".
    await p2.getByRole('heading', { name: 'Your vaults' }).waitFor(WAIT);
    await p2.getByRole('button', { name: /Personal/ }).click();
    await p2.getByLabel('Password').fill(PASSWORD);
    await p2.getByRole('button', { name: 'Unlock', exact: true }).click();
    await p2.getByTestId('note-list').getByRole('button', { name: /^Hello server/ }).waitFor(WAIT);
    await p2.screenshot({ path: path.join(SCREENSHOTS, '22-second-device.png') });
  }
});

test('with the server gone both devices keep editing; when it is back they converge', async () => {
  site.setProxy(null);
  // Laptop: edit the note. Phone: write a new one.
  await page.getByTestId('note-list').getByRole('button', { name: /^Hello server/ }).click();
  await page.getByLabel('Note', { exact: true }).fill('edited on the laptop while offline');
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
  await p2.getByRole('button', { name: '+ New note' }).click();
  await p2.getByLabel('Title').fill('Written on the phone while offline');
  await p2.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);

  site.setProxy(server.url);
  const SLOW = { timeout: 60_000 };
  await page.getByTestId('note-list').getByRole('button', { name: /^Written on the phone while offline/ }).waitFor(SLOW);
  await p2.getByTestId('note-list').getByRole('button', { name: /^Hello server/ }).click();
  await p2.waitForFunction(
    () => document.querySelector('textarea[aria-label=Note]')?.value === 'edited on the laptop while offline', null, SLOW);
  await shot('23-converged');
});

test('the devices dialog names both devices, this one marked, the newest writer first', async () => {
  await page.getByRole('button', { name: 'Devices' }).click();
  const devices = page.getByRole('dialog', { name: 'Devices that wrote to “Personal”' });
  const rows = devices.getByTestId('device');
  await devices.getByTestId('device-list').waitFor(WAIT);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=device]').length === 2, null, WAIT);
  // The phone wrote last (its note), the laptop before it (its note, then its offline edit).
  assert.match(await rows.nth(0).innerText(), /^Sync phone\s+\d+ versions?, last /);
  assert.match(await rows.nth(1).innerText(), /^Sync laptop\s+this device\s+\d+ versions, last /);
  await shot('24-devices');
  await devices.getByRole('button', { name: 'Close' }).click();
  await devices.waitFor({ state: 'detached' });
});

test('logs out', async () => {
  await page.getByTestId('network').click();
  await dialog().getByRole('button', { name: 'Log out' }).click();
  await dialog().getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
  await dialog().getByRole('button', { name: 'Close' }).click();
  await dialog().waitFor({ state: 'detached' });
});
