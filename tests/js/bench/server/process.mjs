// Child processes of the benchmarks: start a server and wait until it listens, read its CPU time
// and peak RSS from /proc, stop it.

import { spawn } from "node:child_process";
import { readFileSync, createWriteStream } from "node:fs";

/**
 * Starts `cmd args` with `env` added (an `undefined` value removes the variable), logging to `log`, and resolves once a line of its output
 * matches `ready` (rejects if it exits first or after `timeoutMs`).
 */
export function startProcess(cmd, args, { env = {}, log, ready, timeoutMs = 30_000 }) {
  const merged = { ...process.env, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const child = spawn(cmd, args, { env: merged, stdio: ["ignore", "pipe", "pipe"] });
  const out = log ? createWriteStream(log) : null;
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`${cmd} did not become ready in ${timeoutMs} ms: ${seen.slice(-500)}`)), timeoutMs);
    const onData = (chunk) => {
      out?.write(chunk);
      if (seen !== null) {
        seen = (seen + chunk.toString()).slice(-4000);
        if (ready.test(seen)) {
          seen = null;
          clearTimeout(timer);
          resolve(child);
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (seen !== null) reject(new Error(`${cmd} exited (${code}) before it was ready: ${seen.slice(-500)}`));
    });
  });
}

/** Stops a child (SIGTERM, then SIGKILL after 5 s) and waits for it. */
export function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime (fields 14, 15)
}

/** Peak resident memory of a process in MiB (VmHWM). */
export function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

/** The localful-server binary with SQLite or Postgres, cheap argon2 and no auth rate limit. */
export function startLocalful(bin, { port, dataDir, databaseUrl, log }) {
  const env = {
    LOCALFUL_BIND: `127.0.0.1:${port}`,
    LOCALFUL_DATA_DIR: dataDir,
    LOCALFUL_ALLOWED_ORIGINS: "*",
    LOCALFUL_ARGON2_MEMORY_KIB: "64",
    LOCALFUL_ARGON2_ITERATIONS: "1",
    LOCALFUL_AUTH_RATE_LIMIT: "1000000",
    LOCALFUL_MAX_VAULTS_PER_USER: "1000",
    LOCALFUL_MAX_VAULT_BYTES: String(2 ** 40),
    RUST_LOG: "warn,localful_server::serve=info", // the "listening" line only
  };
  env.LOCALFUL_DATABASE_URL = databaseUrl; // undefined: SQLite in dataDir
  return startProcess(bin, [], { env, log, ready: /localful-server listening/ });
}
