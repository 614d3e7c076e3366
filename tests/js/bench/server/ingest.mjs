// Server ingest rate: sessions push batches of versions over the real socket.io `/sync` `push`
// event (with acks) to the release localful-server, on SQLite and on Postgres — beside the same
// rows written by plain multi-row INSERTs into the same database (localful-bench-sql), in
// alternating rounds.
//
//   node tests/js/bench/server/ingest.mjs <localful-server> <localful-bench-sql>

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { account, createVault, item, login, push, syncSocket, version } from "./api.mjs";
import { backend, postgresUrl } from "./backends.mjs";
import { startLocalful, stopProcess } from "./process.mjs";
import { median, row } from "./report.mjs";

const [bin, sqlTool] = process.argv.slice(2);
if (!bin || !sqlTool) throw new Error("usage: ingest.mjs <localful-server> <localful-bench-sql>");
const PORT = Number(process.env.LOCALFUL_BENCH_PORT || 3911);
const SESSIONS = 4; // concurrent sessions, each with its own vault
const PER_SESSION = 500; // versions per session and round
const BATCH = 100; // versions per push
const ITEMS = 50; // items per vault (versions are spread over them)
const DATA_BYTES = 200; // characters of note body per version
const ROUNDS = 3;
const logs = process.env.LOCALFUL_BENCH_LOGS || "/tmp";

async function session(base, email, password) {
  const { accessToken } = await login(base, email, password);
  const vault = await createVault(base, accessToken, `ingest ${randomUUID()}`);
  const socket = await syncSocket(base, accessToken);
  const items = Array.from({ length: ITEMS }, () => item(vault));
  await push(socket, { items });
  return { socket, items };
}

/** One round: every session pushes PER_SESSION versions, BATCH at a time; returns versions/s. */
async function round(sessions) {
  const batches = sessions.map(({ items }) =>
    Array.from({ length: PER_SESSION / BATCH }, (_, b) =>
      Array.from({ length: BATCH }, (_, i) => version(items[(b * BATCH + i) % items.length].id, DATA_BYTES)),
    ),
  );
  const start = performance.now();
  await Promise.all(
    sessions.map(async ({ socket }, s) => {
      for (const versions of batches[s]) await push(socket, { versions });
    }),
  );
  return (SESSIONS * PER_SESSION) / ((performance.now() - start) / 1000);
}

const DATA_LEN = version(randomUUID(), DATA_BYTES).protectedData.length;

function baselineRound(url) {
  const out = execFileSync(sqlTool, ["insert", url, String(SESSIONS * PER_SESSION), String(BATCH), String(DATA_LEN)]);
  const { versions, seconds } = JSON.parse(out.toString());
  return versions / seconds;
}

async function bench(kind) {
  const db = backend(kind, sqlTool);
  const server = await startLocalful(bin, {
    port: PORT,
    dataDir: db.dataDir,
    databaseUrl: db.databaseUrl,
    log: join(logs, `ingest-${kind}.log`),
  });
  try {
    const base = `http://127.0.0.1:${PORT}`;
    const [email, password] = [`ingest-${randomUUID()}@bench.test`, "bench-password"];
    await account(base, email, password);
    const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => session(base, email, password)));
    await round(sessions); // warm-up
    baselineRound(db.sqlUrl);
    const ours = [];
    const plain = [];
    for (let r = 0; r < ROUNDS; r++) {
      ours.push(await round(sessions));
      plain.push(baselineRound(db.sqlUrl));
    }
    sessions.forEach(({ socket }) => socket.close());
    row({
      section: `Server ingest (${db.name})`,
      metric: "pushed versions/s",
      unit: "versions/s",
      ours: median(ours),
      baseline_name: `plain multi-row INSERT, same ${db.name} database`,
      baseline: median(plain),
      target: ">= 0.7x baseline",
      check: (_, ratio) => ratio !== null && ratio >= 0.7,
      note:
        `${SESSIONS} sessions × ${PER_SESSION} versions (${DATA_LEN} B protectedData) per round, pushes of ${BATCH} over socket.io /sync with acks; ` +
        `median of ${ROUNDS} rounds after a warm-up, alternating with the baseline (the same versions + changes rows and vault seq, ` +
        `one multi-row INSERT per table and one transaction per ${BATCH}). The server writes each push of ${BATCH} in one transaction ` +
        `with checks per batch: one read (the items named, the caller's vaults among theirs, locked on Postgres, and the versions ` +
        `already stored under the pushed ids), then the multi-row INSERTs of the versions and of the log and one seq reservation per vault ` +
        `(on Postgres these are one statement); beside that, the session check before and, on Postgres, one pg_notify statement for ` +
        `the push's 100 change events after the commit. The baseline neither checks nor broadcasts.`,
    });
  } finally {
    await stopProcess(server);
    db.cleanup();
  }
}

await bench("sqlite");
if (postgresUrl()) {
  await bench("postgres");
} else {
  row({
    section: "Server ingest (Postgres)",
    metric: "pushed versions/s",
    unit: "versions/s",
    ours: null,
    note: "skipped: neither LOCALFUL_BENCH_POSTGRES_URL nor LOCALFUL_TEST_POSTGRES_URL is set",
  });
}
process.exit(0);
