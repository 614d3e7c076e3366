// Loader of the Localful sync worker (SharedWorker, or dedicated Worker as a fallback).
//
// trunk builds worker binaries `no-modules`: `<bin>.js` defines `wasm_bindgen`, `<bin>_bg.wasm`
// is the module. A SharedWorker's first `connect` event fires before the wasm `main` can listen,
// so it is queued here in `self.__localfulQueue`; `localful_worker::host::start` drains the
// queue and takes over `onconnect`.
//
// `?bin=<name>` picks the worker binary (default `localful-worker`); an app whose collections must
// be known to the worker ships its own binary calling `localful_worker::host::start(schema)`.
self.__localfulQueue = [];
self.onconnect = (event) => self.__localfulQueue.push(event);
const bin = new URL(self.location.href).searchParams.get('bin') || 'localful-worker';
const base = new URL('./', self.location.href);
importScripts(new URL(`${bin}.js`, base).href);
wasm_bindgen({ module_or_path: new URL(`${bin}_bg.wasm`, base).href }).catch((error) => console.error('localful-worker failed to start', error));
