// An expired session in Localful Notes: the device is offline for longer than the server keeps a
// session alive (here 4 s; a month by default), keeps editing, and comes back. The app says the
// session expired, keeps every keystroke, and a new login syncs what was written meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveDist, startServer, launchBrowser, distDir, onboard, SCREENSHOTS } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const ACCOUNT = { email: 'grace@example.com', password: 'an account passphrase' };
const WAIT = { timeout: 30_000 };
const SESSION_SECS = 4;

let site, server, browser, page;

before(async () => {
  site = await serveDist(distDir());
  server = await startServer({
    LOCALFUL_ALLOWED_ORIGINS: site.url,
    LOCALFUL_ACCESS_TOKEN_TTL: '1',
    LOCALFUL_REFRESH_TOKEN_TTL: String(SESSION_SECS),
  });
  site.setProxy(server.url);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await site?.close();
});

const dialog = () => page.getByRole('dialog', { name: 'Account & sync' });
const editor = () => page.getByLabel('Note', { exact: true });

test('a synced vault with a note', async () => {
  await onboard(page, site.url, 'Travel laptop', PASSWORD);
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.getByLabel('Title').fill('Packing list');
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);

  await page.getByTestId('network').click();
  await dialog().getByRole('button', { name: 'Use' }).click();
  await dialog().getByRole('button', { name: 'Create an account' }).click();
  await dialog().getByLabel('Email').fill(ACCOUNT.email);
  await dialog().getByLabel('Display name').fill('Grace');
  await dialog().getByLabel('Account password').fill(ACCOUNT.password);
  await dialog().getByRole('button', { name: 'Register' }).click();
  await dialog().getByText(`Logged in as ${ACCOUNT.email}`).waitFor(WAIT);
  await dialog().getByRole('button', { name: /^Sync “Personal”/ }).click();
  await dialog().getByTestId('sync-status').getByText('Up to date').waitFor(WAIT);
  await dialog().getByRole('button', { name: 'Close' }).click();
});

test('offline longer than the session lives, the app says so and keeps the typing', async () => {
  site.setProxy(null);
  await editor().fill('passport, charger, socks');
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
  // Not an assertion: the session's lifetime passes while the device is away.
  await sleep((SESSION_SECS + 1) * 1000);
  await editor().fill('passport, charger, socks, umbrella');
  site.setProxy(server.url);

  await page.getByTestId('network').filter({ hasText: 'Log in again' }).waitFor(WAIT);
  assert.equal(await editor().inputValue(), 'passport, charger, socks, umbrella');
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);

  await page.getByTestId('network').click();
  await dialog().getByTestId('account-error').filter({ hasText: 'Your session has expired: log in again.' }).waitFor(WAIT);
  await dialog().getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
  await page.screenshot({ path: path.join(SCREENSHOTS, '30-session-expired.png') });
});

test('logging in again syncs what was written meanwhile', async () => {
  await dialog().getByLabel('Email').fill(ACCOUNT.email);
  await dialog().getByLabel('Account password').fill(ACCOUNT.password);
  await dialog().getByRole('button', { name: 'Log in' }).click();
  await dialog().getByText(`Logged in as ${ACCOUNT.email}`).waitFor(WAIT);
  assert.equal(await dialog().getByTestId('account-error').count(), 0, 'the expiry message is gone');
  await dialog().getByTestId('sync-status').getByText('Up to date').waitFor(WAIT);
  await dialog().getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('network').filter({ hasText: 'Synced' }).waitFor(WAIT);
  assert.equal(await editor().inputValue(), 'passport, charger, socks, umbrella');
});
