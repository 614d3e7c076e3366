// Result rows of the benchmarks: one JSON line per row to $LOCALFUL_BENCH_OUT, a human line on stdout.

import { appendFileSync } from "node:fs";

/** The median of `xs` (numbers). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The `p`-th percentile (0..100) of `xs`, nearest rank. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const round = (x, digits = 3) => (x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toPrecision(digits + 2)));

/**
 * Writes one row. `ratio` is ours / baseline when both exist; `met` is computed by `check(ours,
 * ratio)` when given, else null.
 */
export function row({ section, metric, unit, ours, baseline_name = null, baseline = null, target = null, check, note = "" }) {
  const ratio = ours !== null && baseline ? ours / baseline : null;
  const met = check && ours !== null ? Boolean(check(ours, ratio)) : null;
  const r = { section, metric, unit, ours: round(ours), baseline_name, baseline: round(baseline), ratio: round(ratio), target, met, note };
  const out = process.env.LOCALFUL_BENCH_OUT;
  if (out) appendFileSync(out, JSON.stringify(r) + "\n");
  const vs = baseline === null ? "" : ` | ${baseline_name}: ${r.baseline} (ratio ${r.ratio})`;
  const goal = target ? ` | target ${target}: ${met === null ? "n/a" : met ? "met" : "MISSED"}` : "";
  console.log(`${section} — ${metric}: ${r.ours ?? "n/a"} ${unit}${vs}${goal}`);
  return r;
}
