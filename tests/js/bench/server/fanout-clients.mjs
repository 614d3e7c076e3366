// A worker thread of the fan-out benchmark: holds many subscribed sockets to localful-server and
// to the Node baseline, and reports when each socket received a given `version-create`.
//
// workerData: {targets: [{name, url, vault, sessions: [accessToken] | null, count}]}; a target
// with `sessions` is localful-server (one ticket per session), otherwise the Node server.
// Messages in: {expect: {target, id, t0}}, answered {latencies: [ms]} once every socket of that
// target received version `id` (or after 20 s, with the missing sockets left out), and {close}.

import { parentPort, workerData } from "node:worker_threads";
import { call, connect, emitWithAck } from "./api.mjs";

const now = () => performance.timeOrigin + performance.now();
const arrivals = new Map(); // `${target}:${versionId}` -> [arrival time]
const waiters = new Map(); // key -> {count, resolve}
const sockets = [];

function arrived(key) {
  const list = arrivals.get(key) ?? [];
  list.push(now());
  arrivals.set(key, list);
  const w = waiters.get(key);
  if (w && list.length >= w.count) w.resolve();
}

/** Resolves once `count` sockets received `key`, or after `ms`. */
function received(key, count, ms) {
  if ((arrivals.get(key)?.length ?? 0) >= count) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    waiters.set(key, { count, resolve: () => (clearTimeout(timer), resolve()) });
  });
}

async function open(target, i) {
  const auth = target.sessions
    ? { ticket: (await call(target.http, "POST", "/v1/sync/ticket", { token: target.sessions[i] })).ticket }
    : {};
  const socket = await connect(target.url, auth);
  const ack = await emitWithAck(socket, "subscribe", { vaults: [target.vault] });
  if (!ack.ok || ack.rejected?.length) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
  socket.on("version-create", (entry) => arrived(`${target.name}:${entry.version.id}`));
  sockets.push(socket);
}

async function openAll(target) {
  const CONCURRENCY = 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < target.count) await open(target, next++);
    }),
  );
}

for (const target of workerData.targets) await openAll(target);
parentPort.postMessage({ ready: sockets.length });

parentPort.on("message", async (msg) => {
  if (msg.close) {
    sockets.forEach((s) => s.close());
    parentPort.close();
    return;
  }
  const { target, id, t0 } = msg.expect;
  const count = workerData.targets.find((t) => t.name === target).count;
  const key = `${target}:${id}`;
  await received(key, count, 20_000);
  waiters.delete(key);
  const latencies = (arrivals.get(key) ?? []).map((t) => t - t0);
  arrivals.delete(key);
  parentPort.postMessage({ latencies, missing: count - latencies.length });
});
