// The browser benchmark's page, served and opened in headless Chromium: shared by the benchmark
// runner (browser.mjs) and the profiler (profile.mjs).
import { createServer } from 'node:http';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The built page (scripts/bench/browser.sh builds it there). */
export const DIST = path.resolve(process.env.LOCALFUL_BENCH_DIST ?? path.join(ROOT, 'target/bench/browser-dist'));
const DEXIE = path.join(ROOT, 'tests/js/node_modules/dexie/dist');
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

/** Serves the page at `/` and Dexie from node_modules at `/dexie/`; resolves `{server, url}`. */
export function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const [root, rel] = url.pathname.startsWith('/dexie/') ? [DEXIE, url.pathname.slice('/dexie'.length)] : [DIST, url.pathname];
    let file = path.join(root, path.normalize(decodeURIComponent(rel)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try { if (statSync(file).isDirectory()) file = path.join(file, 'index.html'); } catch { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

/** Headless Chromium with a fresh on-disk profile; resolves `{context, close}`. */
export async function launch() {
  // A persistent profile on disk: IndexedDB as a user has it (an incognito context keeps it in memory).
  const profile = mkdtempSync(path.join(tmpdir(), 'localful-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows'],
  });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

/** Calls `fn(args)` of /js/`module` in `page`. */
export const call = (page, module, fn, args = {}) =>
  page.evaluate(async ([m, f, a]) => (await import(`/js/${m}`))[f](a), [module, fn, args]);
