// Localful Notes service worker: precaches the build's assets so the app starts offline, and
// installs a new build next to the running one; the page shows "update ready" and applies it on
// reload (see pwa.js).
//
// The build step (demo/build/post-build.sh) prepends `const BUILD = "<id>"` and
// `const ASSETS = [...]` (every file of the build, with trunk's hashed names): a new deployment
// therefore changes this script's bytes, which is how the browser notices it.
/* global BUILD, ASSETS */
const CACHE = `localful-notes-${BUILD}`;
const PREFIX = 'localful-notes-';
// Never cached: the sync server's API and socket (same origin behind trunk's proxy).
const PASS_THROUGH = ['/v1/', '/socket.io/'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // `reload` skips the HTTP cache: the files must be this build's.
    await cache.addAll(ASSETS.map((url) => new Request(url, { cache: 'reload' })));
    // The first install has nothing to replace: take over at once.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
  if (event.data?.type === 'BUILD') event.source?.postMessage({ type: 'BUILD', build: BUILD });
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (PASS_THROUGH.some((prefix) => url.pathname.startsWith(prefix))) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Every page of the app is the app shell of this build.
    if (request.mode === 'navigate') return (await cache.match('/index.html')) ?? fetch(request);
    const hit = await cache.match(request);
    if (hit) return hit;
    // A query never selects another file (a script asked for with `?v=...` must start offline
    // too). The copy is a new Response so its URL stays the requested one.
    const same = await cache.match(request, { ignoreSearch: true });
    if (same) return new Response(same.body, { status: same.status, statusText: same.statusText, headers: same.headers });
    return fetch(request);
  })());
});
