// The README's first command, as a user runs it: `scripts/demo.sh` (localful-server + `trunk serve`
// with its file watcher and auto-reload), two browser profiles as two devices of one account, and
// a minute of edits on both. The server writes its SQLite files under ./localful-data all along;
// no page may reload (a reload locks the open vault), and every edit must reach the other device.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, eventually, freePort } from './harness.mjs';
import { WAIT, newPage, newNote, noteButton, shot, pageErrors, setUpLaptop, setUpPhone } from './devices.mjs';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** How long both devices keep editing. */
const EDITING_MS = 60_000;

let demo, demoExit, url, dataDir, laptop, phone;

/** Starts scripts/demo.sh in its own process group (trunk and the server are its children). */
async function startDemo() {
  const port = await freePort();
  dataDir = path.join(ROOT, 'localful-data', `e2e-${process.pid}`);
  mkdirSync(path.join(ROOT, 'target', 'test-logs'), { recursive: true });
  const log = createWriteStream(path.join(ROOT, 'target', 'test-logs', 'demo-command.log'));
  let output = '';
  demo = spawn('bash', [path.join(ROOT, 'scripts', 'demo.sh')], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, LOCALFUL_DEMO_PORT: String(port), LOCALFUL_DEMO_SERVER_PORT: '0', LOCALFUL_DEMO_DATA_DIR: dataDir },
  });
  demoExit = new Promise((resolve) => demo.on('exit', resolve));
  for (const stream of [demo.stdout, demo.stderr]) {
    stream.on('data', (chunk) => { output += chunk; log.write(chunk); });
  }
  url = `http://127.0.0.1:${port}/`;
  // trunk prints where it serves once the first build is in place; the page must then answer.
  await eventually('scripts/demo.sh serves the demo (log: target/test-logs/demo-command.log)', async () => {
    if (!output.includes(`127.0.0.1:${port}/`) || !output.includes('server listening at')) return false;
    const res = await fetch(url).catch(() => null);
    return res?.ok ?? false;
  }, {
    timeout: 15 * 60_000,
    every: 200,
    stopIf: () => (demo.exitCode !== null && 'scripts/demo.sh exited')
      || (output.includes('error from build pipeline') && 'trunk could not build the demo'),
  });
}

async function stopDemo() {
  if (!demo || demo.exitCode !== null) return;
  process.kill(-demo.pid, 'SIGINT');
  await demoExit;
}

before(async () => {
  await startDemo();
  laptop = await launchBrowser();
  phone = await launchBrowser();
});

after(async () => {
  await laptop?.close();
  await phone?.close();
  await stopDemo();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Counts main-frame navigations of `page` from now on. */
function navigations(page) {
  const counter = { count: 0 };
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) counter.count += 1; });
  return counter;
}

test('two devices sync through scripts/demo.sh for a minute of edits, and no page reloads', async (t) => {
  // The laptop: a vault, an account, the vault synced; the phone: the same origin, its own
  // profile, logs in and unlocks the vault.
  const a = await newPage(laptop);
  await setUpLaptop(a, url);
  const b = await newPage(phone, url);
  await setUpPhone(b);
  await noteButton(b, 'First note').waitFor(WAIT);

  // From here on, any navigation is a reload.
  const reloads = { laptop: navigations(a), phone: navigations(b) };
  const started = Date.now();
  let edits = 0;
  // Each device writes a note in turn and waits until the other shows it: the server takes a
  // push, stores it and fans it out for every one of them.
  const reloaded = () => `page reloads: laptop ${reloads.laptop.count}, phone ${reloads.phone.count}`;
  try {
    while (Date.now() - started < EDITING_MS) {
      edits += 1;
      const [writer, reader, name] = edits % 2 ? [a, b, 'Laptop'] : [b, a, 'Phone'];
      const title = `${name} edit ${edits}`;
      await newNote(writer, title);
      await noteButton(reader, title).waitFor(WAIT);
    }
  } catch (e) {
    // A reload locks the vault, so the edit after it cannot be made: say that first.
    throw new Error(`edit ${edits} failed (${reloaded()}): ${e.message}`);
  }
  t.diagnostic(`${edits} edits synced in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await shot(a, '60-demo-command-laptop');
  await shot(b, '61-demo-command-phone');

  assert.equal(reloads.laptop.count, 0, 'the laptop’s page reloaded');
  assert.equal(reloads.phone.count, 0, 'the phone’s page reloaded');
  // Still unlocked after all of it (a reload would show the unlock screen).
  await a.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
  await b.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
  assert.ok(edits >= 10, `at least 10 edits in a minute (got ${edits})`);
  assert.deepEqual(pageErrors, []);
});
