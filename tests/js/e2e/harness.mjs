// Shared harness of the end-to-end tests: a static server for the trunk-built demo, the real
// localful-server binary on a free port, and headless Chromium (Debian's) driven by playwright-core.
import { createServer, request as httpRequest } from 'node:http';
import { createReadStream, mkdirSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** Where screenshots go: target/screenshots at the repository root. */
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../target/screenshots');

/**
 * Waits until `check()` returns (or resolves to) a truthy value, and returns that value: the one
 * polling helper of the e2e tests, for state node can only observe by asking (the server's API, a
 * proxy's counters, Chromium's list of targets). In the page, wait on the DOM instead (locators,
 * `page.waitForFunction`). A check that throws is tried again. `timeout` only bounds a failure:
 * past it, this throws with `what` and the last value or error seen. `every` is the interval
 * between checks; `stopIf()` returning a reason fails the wait at once (e.g. a process exited).
 */
export async function eventually(what, check, { timeout = 60_000, every = 50, stopIf = null } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    const stop = stopIf?.();
    if (stop) throw new Error(`${what}: ${stop}`);
    if (Date.now() >= deadline) throw new Error(`${what}: not within ${timeout / 1000} s (last seen: ${last})`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/**
 * Serves `dir` (the trunk dist) on 127.0.0.1 with SPA fallback to index.html. `setDir(other)`
 * switches the served directory on the same origin: a new deployment of the site.
 * `setProxy(url)` forwards `/v1/` and `/socket.io/` (WebSocket upgrades included) to a
 * localful-server, as trunk's proxy does in the demo (`null`: those paths answer 502, open
 * sockets and proxied requests in flight are cut — the server is gone as far as the page can tell).
 * `upgrades()` counts the WebSocket upgrades forwarded to the server (`untilUpgrades(n)` resolves
 * once there have been `n`), `liveSockets()` the tunnels
 * open now; `onServed(fn)` calls `fn({ method, url, status, body })` after each proxied HTTP
 * answer was sent in full, `onRequest(fn)` calls `fn({ method, url })` before a request is
 * forwarded (it may switch the proxy off: that request then answers 502); `null` removes either.
 * E.g. to cut the proxy mid-pull. `rewrite(fn)` forwards a proxied HTTP request to `fn(url)`
 * instead of its own URL (`null`: as sent), e.g. a smaller `limit`, as a server with a lower
 * maximum page size would answer.
 */
export async function serveDist(dir) {
  let proxy = null;
  let upgrades = 0;
  const upgraded = new EventTarget(); // an 'upgrade' event per WebSocket upgrade forwarded
  let onServed = null;
  let onRequest = null;
  let rewrite = null;
  const tunnels = new Set(); // proxied WebSockets, cut when the proxy is switched off
  const inflight = new Set(); // proxied HTTP requests waiting for or receiving their answer
  const proxied = (pathname) => pathname.startsWith('/v1/') || pathname.startsWith('/socket.io/');
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (proxied(url.pathname)) {
      onRequest?.({ method: req.method, url: req.url });
      if (!proxy) { res.writeHead(502).end(); return; }
      const target = new URL(rewrite ? rewrite(req.url) : req.url, proxy);
      const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        const chunks = [];
        answer.on('data', (chunk) => chunks.push(chunk));
        answer.pipe(res);
        res.once('finish', () => onServed?.({
          method: req.method, url: req.url, status: answer.statusCode, body: Buffer.concat(chunks).toString('utf8'),
        }));
      });
      const flight = { res, upstream };
      inflight.add(flight);
      res.once('close', () => inflight.delete(flight));
      upstream.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
      req.pipe(upstream);
      return;
    }
    let file = path.join(dir, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    try { if (statSync(file).isDirectory()) file = path.join(file, 'index.html'); }
    catch { file = path.join(dir, 'index.html'); }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(file).on('error', () => res.end()).pipe(res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (!proxy || !proxied(new URL(req.url, 'http://x').pathname)) { socket.destroy(); return; }
    const target = new URL(proxy);
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      upgrades += 1;
      upgraded.dispatchEvent(new Event('upgrade'));
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i];
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? target.host : req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head?.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
      const tunnel = { socket, upstream };
      tunnels.add(tunnel);
      socket.on('close', () => tunnels.delete(tunnel));
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  /** Resolves once `count` WebSocket upgrades in all have been forwarded (fails after `timeout` ms). */
  const untilUpgrades = (count, timeout = 30_000) => new Promise((resolve, reject) => {
    if (upgrades >= count) { resolve(); return; }
    const deadline = setTimeout(() => {
      upgraded.removeEventListener('upgrade', seen);
      reject(new Error(`${count} WebSocket upgrades through the proxy: only ${upgrades} within ${timeout / 1000} s`));
    }, timeout);
    function seen() {
      if (upgrades < count) return;
      clearTimeout(deadline);
      upgraded.removeEventListener('upgrade', seen);
      resolve();
    }
    upgraded.addEventListener('upgrade', seen);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    setDir: (next) => { dir = next; },
    setProxy: (url) => {
      proxy = url;
      if (url) return;
      for (const { socket, upstream } of tunnels) { socket.destroy(); upstream.destroy(); }
      for (const { res, upstream } of inflight) { upstream.destroy(); res.destroy(); }
    },
    upgrades: () => upgrades,
    untilUpgrades,
    liveSockets: () => tunnels.size,
    onServed: (fn) => { onServed = fn; },
    onRequest: (fn) => { onRequest = fn; },
    rewrite: (fn) => { rewrite = fn; },
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}

/**
 * Starts the localful-server binary on a free port (or on `port`) with a fresh SQLite data directory.
 * `stop()` ends it (SIGTERM) and removes the data; `kill(signal)` ends it abruptly (SIGKILL by
 * default) and keeps the data; `restart(env)` starts it again on the same port and data directory,
 * with `env` added to the first start's environment.
 */
export async function startServer(extraEnv = {}, { port: fixedPort } = {}) {
  const bin = process.env.LOCALFUL_SERVER_BIN;
  if (!bin) throw new Error('LOCALFUL_SERVER_BIN is not set: run the e2e suite through scripts/test.sh');
  const port = fixedPort ?? await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'localful-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  let child = null;
  const launch = async (moreEnv) => {
    const env = { RUST_LOG: 'warn', NO_COLOR: '1', ...process.env, LOCALFUL_BIND: `127.0.0.1:${port}`, LOCALFUL_DATA_DIR: dataDir, ...extraEnv, ...moreEnv };
    if (!('LOCALFUL_DATABASE_URL' in extraEnv)) delete env.LOCALFUL_DATABASE_URL; // SQLite in dataDir
    const started = spawn(bin, [], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child = started;
    await eventually(`localful-server answers ${url}/v1/server/health`, async () => (await fetch(`${url}/v1/server/health`)).ok, {
      timeout: 30_000,
      stopIf: () => (started.exitCode !== null || started.signalCode !== null) && `it exited (${started.exitCode ?? started.signalCode})`,
    });
  };
  const kill = async (signal = 'SIGKILL') => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill(signal);
    await exited;
  };
  await launch({});
  return {
    url,
    dataDir,
    kill,
    restart: (moreEnv = {}) => launch(moreEnv),
    stop: async () => {
      await kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headless Debian Chromium with a fresh profile (one profile = one device). */
/**
 * Chromium with a profile of its own. With `profile` (a directory), that profile is used and kept
 * on close, so a later launch with it is the same browser started again.
 */
export async function launchBrowser({ profile: kept } = {}) {
  const profile = kept ?? mkdtempSync(path.join(tmpdir(), 'localful-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    close: async () => {
      await context.close();
      if (!kept) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The dist directory built by scripts/test.sh. */
export function distDir() {
  const dir = process.env.LOCALFUL_E2E_DIST;
  if (!dir) throw new Error('LOCALFUL_E2E_DIST is not set: run the e2e suite through scripts/test.sh');
  return dir;
}

/**
 * Opens the demo at `url` on `page` and onboards a new device: names it `deviceName` and creates
 * the first vault ("Personal") with `password`. Returns when the vault's workspace shows.
 */
export async function onboard(page, url, deviceName, password) {
  await page.goto(url);
  await page.getByLabel('Device name').fill(deviceName);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat password').fill(password);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByTestId('vault-name').filter({ hasText: 'Personal' }).waitFor({ timeout: 30_000 });
}
