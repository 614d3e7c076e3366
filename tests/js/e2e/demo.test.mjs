// The demo app in a real browser, with the real server beside it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, startServer, launchBrowser, distDir, SCREENSHOTS } from './harness.mjs';

let site, server, browser;
before(async () => {
  site = await serveDist(distDir());
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await site?.close();
});

test('the demo renders its shell from the trunk bundle', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url);
  await page.getByRole('heading', { name: 'Localful Notes' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('app-name').textContent(), 'localful-notes');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-shell.png') });
  assert.deepEqual(errors, []);
});

test('the server the demo talks to answers health and info', async () => {
  const health = await (await fetch(`${server.url}/v1/server/health`)).json();
  assert.equal(health.status, 'ok');
  const info = await (await fetch(`${server.url}/v1/server/info`)).json();
  assert.equal(typeof info.version, 'string');
});
