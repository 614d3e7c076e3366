// No password on any channel between tabs and the sync worker (issue #20): the tab logs in and
// registers over HTTP itself and hands the worker only the session's tokens. Every message a page
// posts or receives on a MessagePort (the SharedWorker's), a BroadcastChannel (the fallback's sync
// channel, the key hand-over, the change events, the worker's start announcement) or a dedicated
// Worker is recorded by an init script that runs before the app, in two tabs of one profile, with
// and without SharedWorker. Only the page ever holds the account password, so what the pages send
// is all that could carry it; what they receive shows what the worker and the other tab sent.
// None of it may contain the account password, a wrong one typed, the server passwords derived
// from them, or the vault password; and the recording must hold the `signedIn` messages of the
// registration and the login, so the test cannot pass by observing nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { serveDist, startServer, launchBrowser, distDir, onboard } from './harness.mjs';
import { WAIT, newPage, pageErrors, shot } from './devices.mjs';

const VAULT_PASSWORD = 'correct horse battery staple';
const ACCOUNT_PASSWORD = 'an account passphrase';
const WRONG_PASSWORD = 'not the account passphrase';
/** The demo's app name (demo/src/app.rs): its channels are `localful:localful-notes:…`. */
const APP = 'localful-notes';

/**
 * The server password of SPEC "Encryption": the second half, in hex, of
 * PBKDF2-HMAC-SHA256(password, email ‖ app salt "localful", 100 000 rounds, 64 bytes).
 */
const serverPassword = (password, email) =>
  pbkdf2Sync(password, `${email}localful`, 100_000, 64, 'sha256').subarray(32).toString('hex');

/**
 * Runs in every page before the app: records every message the page posts or receives on a
 * MessagePort, a BroadcastChannel or a Worker in `window.__localfulChannels`, as
 * `{ via, name, way, data }` (data as text).
 */
function recordChannels() {
  const log = [];
  Object.defineProperty(window, '__localfulChannels', { value: log });
  const text = (data) => {
    if (typeof data === 'string') return data;
    try { return JSON.stringify(data) ?? String(data); } catch { return String(data); }
  };
  const note = (via, name, way, data) => log.push({ via, name, way, data: text(data) });
  const wrapPost = (proto, via, nameOf) => {
    const post = proto.postMessage;
    proto.postMessage = function (data, ...rest) {
      note(via, nameOf(this), 'sent', data);
      return post.call(this, data, ...rest);
    };
  };
  wrapPost(MessagePort.prototype, 'port', () => '');
  wrapPost(BroadcastChannel.prototype, 'broadcast', (channel) => channel.name);
  wrapPost(Worker.prototype, 'worker', () => '');
  const NativeChannel = BroadcastChannel;
  window.BroadcastChannel = class extends NativeChannel {
    constructor(name) {
      super(name);
      this.addEventListener('message', (e) => note('broadcast', this.name, 'received', e.data));
    }
  };
  const NativeWorker = Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => note('worker', '', 'received', e.data));
    }
  };
  if (window.SharedWorker) {
    const NativeShared = SharedWorker;
    window.SharedWorker = class extends NativeShared {
      constructor(...args) {
        super(...args);
        this.port.addEventListener('message', (e) => note('port', '', 'received', e.data));
      }
    };
  }
}

let site, server;

before(async () => {
  site = await serveDist(distDir());
  server = await startServer({
    LOCALFUL_ALLOWED_ORIGINS: site.url,
    // Cheap password hashing: the test is about the browser's messages.
    LOCALFUL_ARGON2_MEMORY_KIB: '1024', LOCALFUL_ARGON2_ITERATIONS: '1',
  });
  site.setProxy(server.url);
});
after(async () => {
  await server?.stop();
  await site?.close();
});

/** The `type` of a recorded message that is one of the protocol's JSON messages, else null. */
const typeOf = (entry) => {
  try { return JSON.parse(entry.data)?.type ?? null; } catch { return null; }
};

const modes = [
  { name: 'SharedWorker', shared: true },
  { name: 'the fallback without SharedWorker', shared: false },
];

for (const mode of modes) {
  test(`${mode.name}: registering and logging in put no password on any channel`, async (t) => {
    const email = `${mode.shared ? 'shared' : 'fallback'}@example.com`;
    const browser = await launchBrowser();
    try {
      if (!mode.shared) await browser.context.addInitScript(() => { delete window.SharedWorker; });
      await browser.context.addInitScript(recordChannels);
      const a = await newPage(browser);
      // The page's own HTTP calls: the login and registration must be among them.
      const signIns = [];
      a.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (request.method() === 'POST' && (path === '/v1/auth/login' || path === '/v1/users')) {
          signIns.push({ path, body: JSON.parse(request.postData() ?? '{}') });
        }
      });
      await onboard(a, site.url, 'Channel probe', VAULT_PASSWORD);
      assert.equal(await a.evaluate(() => typeof SharedWorker === 'function'), mode.shared);
      await a.getByTestId('network').click();
      const panel = a.getByRole('dialog', { name: 'Account & sync' });
      await panel.getByRole('button', { name: 'Use' }).click();
      await panel.getByTestId('sync-line').filter({ hasText: 'Not syncing: log in to sync' }).waitFor(WAIT);
      // A second tab of the same browser, opened once the server is chosen (so it talks to the
      // sync worker too): what the worker and the first tab send reaches it.
      const b = await newPage(browser, site.url);
      await b.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor(WAIT);
      await b.waitForFunction(() => window.__localfulChannels.some((e) => e.way === 'received' && e.data.includes('"type":"state"')),
        null, WAIT);

      await panel.getByRole('button', { name: 'Create an account' }).click();
      await panel.getByLabel('Email').fill(email);
      await panel.getByLabel('Display name').fill('Probe');
      await panel.getByLabel('Account password').fill(ACCOUNT_PASSWORD);
      await panel.getByRole('button', { name: 'Register' }).click();
      await panel.getByText(`Logged in as ${email}`).waitFor(WAIT);

      await panel.getByRole('button', { name: 'Log out' }).click();
      await panel.getByRole('button', { name: 'I have an account' }).click();
      await panel.getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
      await panel.getByLabel('Email').fill(email);
      await panel.getByLabel('Account password').fill(WRONG_PASSWORD);
      await panel.getByRole('button', { name: 'Log in' }).click();
      await panel.getByTestId('account-error').filter({ hasText: 'Wrong email or password.' }).waitFor(WAIT);
      await panel.getByLabel('Account password').fill(ACCOUNT_PASSWORD);
      await panel.getByRole('button', { name: 'Log in' }).click();
      await panel.getByText(`Logged in as ${email}`).waitFor(WAIT);
      await shot(a, mode.shared ? '50-channels-shared-logged-in' : '51-channels-fallback-logged-in');

      // What the worker sent after the login has reached both tabs (they wait on it; the other
      // tab also on the first tab's message in the fallback, where it goes to every tab).
      const received = (type, atLeast) => (page) => page.waitForFunction(([type, atLeast]) => window.__localfulChannels
        .filter((e) => e.way === 'received' && e.data.includes(`"type":"${type}"`)).length >= atLeast, [type, atLeast], WAIT);
      await Promise.all([a, b].map(received('tokens', 2)));
      if (!mode.shared) await received('signedIn', 2)(b);

      const record = { a: await a.evaluate(() => window.__localfulChannels), b: await b.evaluate(() => window.__localfulChannels) };
      const all = [...record.a, ...record.b];
      const count = (entries, pred) => entries.filter(pred).length;
      t.diagnostic(`messages recorded: tab a ${record.a.length}, tab b ${record.b.length}; by channel: ${JSON.stringify(
        Object.fromEntries([...new Set(all.map((e) => `${e.via}:${e.name}`))].map((k) => [k, count(all, (e) => `${e.via}:${e.name}` === k)])),
      )}`);

      // The page itself logged in and registered, with the server password and never the account
      // password (this also checks the derivation the scan below relies on).
      const sent = serverPassword(ACCOUNT_PASSWORD, email);
      const wrong = serverPassword(WRONG_PASSWORD, email);
      assert.deepEqual(signIns.map((s) => [s.path, s.body.password]),
        [['/v1/users', sent], ['/v1/auth/login', wrong], ['/v1/auth/login', sent]],
        'the page registered, then tried the wrong password, then logged in, each with a server password');

      // Not vacuous: the sign-ins were observed going to the worker, on this mode's channel.
      const signedIn = (e) => typeOf(e) === 'signedIn';
      if (mode.shared) {
        assert.equal(count(record.a, (e) => signedIn(e) && e.via === 'port' && e.way === 'sent'), 2,
          'the registration and the login handed to the SharedWorker over the port');
      } else {
        const channel = `localful:${APP}:sync`;
        assert.equal(count(record.a, (e) => signedIn(e) && e.via === 'broadcast' && e.name === channel && e.way === 'sent'), 2,
          'the registration and the login handed to the worker on the sync channel');
        assert.equal(count(record.b, (e) => signedIn(e) && e.name === channel && e.way === 'received'), 2,
          'the other tab receives those messages too');
      }
      assert.ok(count(all, (e) => typeOf(e) === 'tokens' && e.way === 'received') >= 2, 'the worker told the tabs the tokens to keep');
      assert.ok(count(all, (e) => e.name === `localful:${APP}:keys`) > 0, 'the key hand-over channel was observed');

      const secrets = { 'the account password': ACCOUNT_PASSWORD, 'the wrong password typed': WRONG_PASSWORD,
        'the server password': sent, 'the wrong server password': wrong, 'the vault password': VAULT_PASSWORD };
      for (const [what, secret] of Object.entries(secrets)) {
        const leaks = all.filter((e) => e.data.includes(secret));
        assert.deepEqual(leaks, [], `${what} is in no message (${all.length} recorded)`);
        for (const page of [a, b]) {
          const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
          assert.ok(!stored.includes(secret), `${what} is not in web storage`);
        }
      }
    } finally {
      await browser.close();
    }
  });
}

test('no page errors', () => {
  assert.deepEqual(pageErrors, []);
});
