// The databases a benchmark runs localful-server on: SQLite in a temp dir, and Postgres in a fresh
// schema when LOCALFUL_BENCH_POSTGRES_URL (or LOCALFUL_TEST_POSTGRES_URL) is set.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/** The Postgres URL of the benchmarks, or null. */
export function postgresUrl() {
  return process.env.LOCALFUL_BENCH_POSTGRES_URL || process.env.LOCALFUL_TEST_POSTGRES_URL || null;
}

/**
 * Prepares `kind` ("sqlite" | "postgres"): returns `{name, dataDir, databaseUrl, cleanup()}`, where
 * `databaseUrl` is undefined for SQLite (the server's default file in `dataDir`). `sqlTool` is the
 * `localful-bench-sql` binary (creates and drops the Postgres schema).
 */
export function backend(kind, sqlTool) {
  const dataDir = mkdtempSync(join(tmpdir(), "localful-bench-"));
  if (kind === "sqlite") {
    return {
      name: "SQLite",
      dataDir,
      databaseUrl: undefined,
      sqlUrl: `sqlite://${join(dataDir, "localful.db")}`,
      cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const base = postgresUrl();
  const schema = `localful_bench_${randomBytes(6).toString("hex")}`;
  execFileSync(sqlTool, ["create-schema", base, schema], { stdio: "inherit" });
  const sep = base.includes("?") ? "&" : "?";
  const url = `${base}${sep}options=-c%20search_path%3D${schema}`;
  return {
    name: "Postgres",
    dataDir,
    databaseUrl: url,
    sqlUrl: url,
    cleanup: () => {
      execFileSync(sqlTool, ["drop-schema", base, schema], { stdio: "inherit" });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
