// Fan-out latency: one write (a push from one session) to N subscribed sockets (1 000 by default),
// from the release localful-server (SQLite) and from the official Node socket.io server relaying
// the same payload — the same clients (socket.io-client in two worker threads) for both,
// alternating rounds. Latency per socket = arrival time − the time the writer emitted the push.
// Also the CPU time and peak RSS of both servers, from /proc. Targets (issue #25), at every N:
// p50 and p99 <= Node's, server CPU per write <= 0.6x Node's, peak RSS <= 0.5x Node's.
//
//   node tests/js/bench/server/fanout.mjs <localful-server>
//
// LOCALFUL_BENCH_FANOUT_SOCKETS: N (scripts/bench/server.sh runs 1 000, then 5 000); each client
// holds 2N sockets (N to each server), so the open-file limit must allow about 2N + 200.
// LOCALFUL_BENCH_PORT: the base port (the servers use +1 and +2). LOCALFUL_BENCH_OUT: rows (JSON
// lines). LOCALFUL_BENCH_LOGS: the servers' logs.

import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { account, connect, createVault, emitWithAck, item, login, push, syncSocket, version } from "./api.mjs";
import { cpuSeconds, peakRssMiB, startLocalful, startProcess, stopProcess } from "./process.mjs";
import { median, percentile, row } from "./report.mjs";

const [bin] = process.argv.slice(2);
if (!bin) throw new Error("usage: fanout.mjs <localful-server>");
const PORT = Number(process.env.LOCALFUL_BENCH_PORT || 3911) + 1;
const NODE_PORT = PORT + 1;
const SOCKETS = Number(process.env.LOCALFUL_BENCH_FANOUT_SOCKETS || 1000);
const WORKERS = 2;
const WARMUP = 3;
const ROUNDS = 20;
const logs = process.env.LOCALFUL_BENCH_LOGS || "/tmp";
const now = () => performance.timeOrigin + performance.now();
/** `n` with a space between thousands, as the report writes counts ("5 000"). */
const spaced = (n) => String(n).replace(/\B(?=(\d{3})+$)/g, " ");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `f(i)` for i in 0..n, `limit` at a time. */
async function pool(n, limit, f) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await f(i);
      }
    }),
  );
  return out;
}

/** A client thread: `ready` resolves with its first message, `ask(msg)` with the answer to `msg`. */
function worker(targets) {
  const w = new Worker(new URL("./fanout-clients.mjs", import.meta.url), { workerData: { targets } });
  const pending = []; // resolvers, in message order
  let failed = null;
  w.on("message", (m) => pending.shift()?.resolve(m));
  w.on("error", (e) => {
    failed = e;
    pending.splice(0).forEach((p) => p.reject(e));
  });
  const next = () => new Promise((resolve, reject) => (failed ? reject(failed) : pending.push({ resolve, reject })));
  const ready = next();
  const ask = (msg) => {
    const answer = next();
    w.postMessage(msg);
    return answer;
  };
  return { w, ready, ask };
}

/** This process's soft open-file limit (Node raised it to the hard one at start). */
function openFileLimit() {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === "unlimited" ? Infinity : Number(soft);
}
const needed = 2 * SOCKETS + 200;
if (openFileLimit() < needed) {
  const reason = `skipped: the open-file limit is ${openFileLimit()}; a client holding ${spaced(SOCKETS)} sockets to each server needs about ${spaced(needed)} (raise the hard limit: ulimit -Hn)`;
  console.log(`fan-out to ${SOCKETS} sockets ${reason}`);
  for (const metric of ["p50", "p99", "server CPU per write", "server peak RSS"]) {
    row({ section: `Fan-out to ${spaced(SOCKETS)} sockets`, metric, unit: metric.endsWith("RSS") ? "MiB" : "ms", ours: null, note: reason });
  }
  process.exit(0);
}

const started = now();
const dataDir = mkdtempSync(join(tmpdir(), "localful-bench-"));
const ours = await startLocalful(bin, { port: PORT, dataDir, log: join(logs, "fanout-localful.log") });
const node = await startProcess(process.execPath, [new URL("./node-fanout-server.mjs", import.meta.url).pathname], {
  env: { LOCALFUL_BENCH_NODE_PORT: String(NODE_PORT) },
  log: join(logs, "fanout-node.log"),
  ready: /listening/,
});
let workers = [];
try {
  const http = `http://127.0.0.1:${PORT}`;
  const [email, password] = [`fanout-${randomUUID()}@bench.test`, "bench-password"];
  const writer = await account(http, email, password);
  const vault = await createVault(http, writer.accessToken, "fan-out");
  const tokens = await pool(SOCKETS, 16, async () => (await login(http, email, password)).accessToken);
  const writerSocket = await syncSocket(http, writer.accessToken);
  const [noteItem] = [item(vault)];
  await push(writerSocket, { items: [noteItem] });
  const nodeVault = randomUUID();
  const nodeWriter = await connect(`http://127.0.0.1:${NODE_PORT}/sync`, {});

  const per = Math.ceil(SOCKETS / WORKERS);
  workers = Array.from({ length: WORKERS }, (_, k) => {
    const mine = tokens.slice(k * per, (k + 1) * per);
    return worker([
      { name: "ours", http, url: `${http}/sync`, vault, sessions: mine, count: mine.length },
      { name: "node", url: `http://127.0.0.1:${NODE_PORT}/sync`, vault: nodeVault, sessions: null, count: mine.length },
    ]);
  });
  const opened = await Promise.all(workers.map((w) => w.ready));
  console.log(`fan-out: ${opened.reduce((n, m) => n + m.ready, 0)} sockets subscribed (${SOCKETS} to each server) after ${((now() - started) / 1000).toFixed(1)} s`);

  /** One write through `target`; returns the per-socket latencies (ms) and missing sockets. */
  async function once(target) {
    const v = version(noteItem.id);
    const t0 = now();
    if (target === "ours") await push(writerSocket, { versions: [v] });
    else await emitWithAck(nodeWriter, "push", { vaultId: nodeVault, versions: [v] });
    const answers = await Promise.all(workers.map((w) => w.ask({ expect: { target, id: v.id, t0 } })));
    await sleep(100);
    return { latencies: answers.flatMap((a) => a.latencies), missing: answers.reduce((n, a) => n + a.missing, 0) };
  }

  for (let r = 0; r < WARMUP; r++) for (const t of ["ours", "node"]) await once(t);
  const fresh = () => ({ latencies: [], first: [], missing: 0, cpu: 0 });
  const results = { ours: fresh(), node: fresh() };
  const pids = { ours: ours.pid, node: node.pid };
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of r % 2 ? ["node", "ours"] : ["ours", "node"]) {
      const cpu0 = cpuSeconds(pids[t]);
      const { latencies, missing } = await once(t);
      results[t].cpu += cpuSeconds(pids[t]) - cpu0;
      results[t].latencies.push(...latencies);
      results[t].first.push(Math.min(...latencies));
      results[t].missing += missing;
    }
  }
  const lost = results.ours.missing + results.node.missing;
  const common =
    `${spaced(SOCKETS)} sockets (one session each) on 127.0.0.1, socket.io-client in ${WORKERS} worker threads of one Node process, ` +
    `${ROUNDS} rounds after ${WARMUP} warm-up, alternating servers; latency = arrival − push emitted, over all sockets of all rounds` +
    (lost ? `; ${results.ours.missing} (ours) / ${results.node.missing} (Node) deliveries missing after 20 s` : "") +
    `. The bench lowers LOCALFUL_ARGON2_MEMORY_KIB/ITERATIONS and raises LOCALFUL_AUTH_RATE_LIMIT to log in ${spaced(SOCKETS)} times quickly. ` +
    `2 cores shared by the clients and both servers. localful-server on SQLite (in-process fan-out); its latency includes ` +
    `committing the version (Node's relay stores nothing): first socket reached after ${median(results.ours.first).toFixed(1)} ms ` +
    `(ours) vs ${median(results.node.first).toFixed(1)} ms (Node), medians over rounds. Timestamps inside the push handler ` +
    `(2026-12-06, single pushes, 3 subscribers): the session check 0.1-0.2 ms, the five statements of the write 0.2-0.5 ms ` +
    `(each a round trip to sqlx's SQLite worker thread), the commit 0.6-1.0 ms (7 WAL pages and an fsync of about 0.4 ms), ` +
    `the broadcast under 0.1 ms (benches/README.md). ` +
    `Profile of the broadcast (2026-12-07, 1 000 sockets, load 3-5; perf at 4 kHz and /proc ticks over the same rounds): ` +
    `about 70 % of our CPU is system time, the kernel's loopback TCP path of one send per socket (41 ticks against Node's 47 for ` +
    `its one writev per socket); the user-space rest (15 ticks against Node's 33) is spread over tokio's per-socket wake-ups, ` +
    `engine.io's per-socket queues and tungstenite's framing, no function above 3 %: socketioxide encodes the event once and ` +
    `hands the same bytes to every socket. The CPU target (0.6x: 48 ticks of those rounds) would need our user time halved ` +
    `on top of a system time already below Node's. Tried: one tokio worker instead of two (p50 1.16-1.23x against 1.15-1.25x, CPU 0.78-0.88x against ` +
    `0.77-0.80x, 2 alternated runs each), TCP_NODELAY (kept, like Node's server; within the spread). Peak memory grows about ` +
    `26 KiB per socket over a base of about 14 MiB (heap profile at 400 sockets: tokio tasks 7 KiB, engine.io's queue 5 KiB, ` +
    `the websocket read buffer 4 KiB), Node's about 15 KiB over about 82 MiB, so the RSS ratio rises with the socket count ` +
    `(0.40x at 1 000, 0.90x at 5 000); a socket kept hyper's 16 KiB request buffer until the server copied upgrade requests' ` +
    `heads (47.2 -> 39.2 MiB at 1 000, 183 -> 142 MiB at 5 000).`;
  const base = { section: `Fan-out to ${spaced(SOCKETS)} sockets`, unit: "ms", baseline_name: "Node socket.io 4.8 server, same payload" };
  for (const p of [50, 99]) {
    const o = percentile(results.ours.latencies, p);
    const n = percentile(results.node.latencies, p);
    row({
      ...base,
      metric: `p${p}`,
      ours: o,
      baseline: n,
      // The absolute p99 bound (issue #10) was set for 1 000 sockets; every size has the ratio.
      target: p === 99 && SOCKETS <= 1000 ? "< 100 ms and <= 1x baseline" : "<= 1x baseline",
      check: (x, ratio) => (p === 99 && SOCKETS <= 1000 ? x < 100 : true) && ratio !== null && ratio <= 1 && !results.ours.missing,
      note: common,
    });
  }
  row({
    ...base,
    metric: "server CPU per write",
    ours: (results.ours.cpu / ROUNDS) * 1000,
    baseline: (results.node.cpu / ROUNDS) * 1000,
    target: "<= 0.6x baseline",
    check: (_, ratio) => ratio !== null && ratio <= 0.6,
    note: `user + system CPU of the server process during the ${ROUNDS} measured writes (/proc/<pid>/stat, 10 ms ticks), per write`,
  });
  row({
    ...base,
    metric: "server peak RSS",
    unit: "MiB",
    ours: peakRssMiB(ours.pid),
    baseline: peakRssMiB(node.pid),
    target: "<= 0.5x baseline",
    check: (_, ratio) => ratio !== null && ratio <= 0.5,
    note: `VmHWM of the server process with ${spaced(SOCKETS)} sockets connected (localful also ran ${spaced(SOCKETS)} logins)`,
  });
  writerSocket.close();
  nodeWriter.close();
} finally {
  workers.forEach((w) => w.w.postMessage({ close: true }));
  await sleep(200);
  await Promise.all(workers.map((w) => w.w.terminate()));
  await stopProcess(ours);
  await stopProcess(node);
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
