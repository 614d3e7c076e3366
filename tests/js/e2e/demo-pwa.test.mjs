// Localful Notes as an installable app, in headless Chromium: the browser finds nothing missing
// for installation (manifest, icons at the sizes it asks for, a service worker that serves the
// start URL offline), every icon the manifest names is served at its declared size, and the
// installed app (CDP's PWA domain installs it into the profile and launches it) starts offline
// and keeps a note written in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, launchBrowser, distDir, onboard, SCREENSHOTS } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const WAIT = { timeout: 30_000 };

let site, browser, page;

before(async () => {
  site = await serveDist(distDir());
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** The width and height a PNG declares in its IHDR chunk. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

test('the browser finds the demo installable, with icons at the sizes it asks for', async () => {
  await onboard(page, site.url, 'Laptop', PASSWORD);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, WAIT);
  const cdp = await browser.context.newCDPSession(page);

  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, [], 'the manifest parses without errors');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'nothing missing for installation');

  const icons = JSON.parse(manifest.data).icons;
  const served = [];
  for (const icon of icons) {
    const answer = await fetch(new URL(icon.src, site.url));
    assert.equal(answer.status, 200, `${icon.src} is served`);
    const bytes = Buffer.from(await answer.arrayBuffer());
    if (icon.type === 'image/png') {
      assert.equal(pngSize(bytes), icon.sizes, `${icon.src} is ${icon.sizes} as declared`);
    }
    served.push(`${icon.sizes} ${icon.purpose}`);
  }
  for (const wanted of ['192x192 any', '512x512 any', '512x512 maskable']) {
    assert.ok(served.includes(wanted), `an icon ${wanted} (has: ${served.join(', ')})`);
  }
  const touch = await fetch(new URL('/apple-touch-icon.png', site.url));
  assert.equal(pngSize(Buffer.from(await touch.arrayBuffer())), '180x180', 'the iOS home screen icon');
});

test('the installed app starts offline and keeps what is written in it', async () => {
  const manifestId = new URL('/', site.url).href;
  const cdp = await browser.context.browser()?.newBrowserCDPSession?.() ?? await browser.context.newCDPSession(page);
  await cdp.send('PWA.install', { manifestId, installUrlOrBundleUrl: manifestId });
  // Answers only for an installed app (else: "Web app not installed").
  const osState = await cdp.send('PWA.getOsAppState', { manifestId });
  assert.ok(osState, 'the profile knows the installed app');

  await browser.context.setOffline(true);
  try {
    const launched = browser.context.waitForEvent('page', WAIT);
    await cdp.send('PWA.launch', { manifestId });
    const app = await launched;
    assert.equal(new URL(app.url()).origin, new URL(site.url).origin, 'the app window opens the demo');
    await app.waitForLoadState();
    const started = await app.evaluate(() => ({
      online: navigator.onLine,
      fromServiceWorker: navigator.serviceWorker.controller !== null,
      standalone: matchMedia('(display-mode: standalone)').matches,
    }));
    assert.equal(started.online, false, 'the app window is offline');
    assert.equal(started.fromServiceWorker, true, 'the service worker served it');
    await app.screenshot({ path: path.join(SCREENSHOTS, 'pwa-installed-launched.png') });
    // The browser tab still has the vault open and hands its key over; asked for the password
    // instead, the app gets it.
    const unlockForm = app.getByRole('heading', { name: 'Unlock Personal' });
    await unlockForm.or(app.getByRole('button', { name: '+ New note' })).first().waitFor(WAIT);
    if (await unlockForm.isVisible()) {
      await app.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await app.getByRole('button', { name: 'Unlock' }).click();
    }
    await app.getByRole('button', { name: '+ New note' }).click();
    await app.getByLabel('Title').fill('Written in the installed app');
    await app.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
    await app.screenshot({ path: path.join(SCREENSHOTS, 'pwa-installed-offline.png') });
  } finally {
    await browser.context.setOffline(false);
  }
});
