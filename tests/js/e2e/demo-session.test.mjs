// An ended session in Localful Notes: while the device is offline its session ends on the server
// (here it is logged out from elsewhere, which the server answers exactly as an expired session —
// a month by default — without waiting out a lifetime), the device keeps editing and comes back.
// The app says the session expired, keeps every keystroke, and a new login syncs what was written
// meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, startServer, launchBrowser, distDir, onboard, SCREENSHOTS } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const ACCOUNT = { email: 'grace@example.com', password: 'an account passphrase' };
const WAIT = { timeout: 30_000 };

let site, server, browser, page;
/** The device's current refresh token, as the server last handed it out through the proxy. */
let refreshToken = null;

before(async () => {
  site = await serveDist(distDir());
  server = await startServer({ LOCALFUL_ALLOWED_ORIGINS: site.url });
  site.setProxy(server.url);
  site.onServed(({ status, body }) => {
    if (status < 200 || status > 299) return; // registration answers 201
    try { refreshToken = JSON.parse(body)?.tokens?.refreshToken ?? refreshToken; } catch { /* not JSON */ }
  });
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

test('the session ended while offline, the app says so and keeps the typing', async () => {
  site.setProxy(null);
  await editor().fill('passport, charger, socks');
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
  // The session ends while the device is away.
  assert.ok(refreshToken, 'the device was given a refresh token');
  const logout = await fetch(`${server.url}/v1/auth/logout`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }),
  });
  assert.equal(logout.status, 200, `the session is ended on the server: ${await logout.text()}`);
  await editor().fill('passport, charger, socks, umbrella');
  site.setProxy(server.url);

  await page.getByTestId('network').filter({ hasText: 'Log in again' }).waitFor(WAIT);
  assert.equal(await editor().inputValue(), 'passport, charger, socks, umbrella');
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);

  await page.getByTestId('network').click();
  await dialog().getByTestId('sync-line').filter({ hasText: /^Your session has expired: log in again\. / }).waitFor(WAIT);
  await dialog().getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
  assert.equal(await dialog().getByText(/Logged in as/).count(), 0, 'no "Logged in as" beside the login form');
  await page.screenshot({ path: path.join(SCREENSHOTS, '30-session-expired.png') });
});

test('logging in again syncs what was written meanwhile', async () => {
  await dialog().getByLabel('Email').fill(ACCOUNT.email);
  await dialog().getByLabel('Account password').fill(ACCOUNT.password);
  await dialog().getByRole('button', { name: 'Log in' }).click();
  await dialog().getByText(`Logged in as ${ACCOUNT.email}`).waitFor(WAIT);
  assert.equal(await dialog().getByTestId('account-error').count(), 0, 'no error from the login');
  assert.equal(await dialog().getByText(/session has expired/).count(), 0, 'the expiry message is gone');
  await dialog().getByTestId('sync-status').getByText('Up to date').waitFor(WAIT);
  await dialog().getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('network').filter({ hasText: 'Synced' }).waitFor(WAIT);
  assert.equal(await editor().inputValue(), 'passport, charger, socks, umbrella');
});
