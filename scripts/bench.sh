#!/usr/bin/env bash
# Every Localful benchmark (issue #10) in one run, optimised (profile `benchmark`: opt-level 3,
# no LTO): prints a table and writes it, with the machine and browser it ran on, to BENCHMARKS.md.
#
#   scripts/bench.sh              install what is missing, run every part, write BENCHMARKS.md
#   scripts/bench.sh server       only the named parts (browser, server); BENCHMARKS.md is still
#                                 written, from the parts that ran
#
# Each part is scripts/bench/<part>.sh: it builds what it needs in the benchmark profile and
# writes one JSON line per row (figure, baseline measured in the same run, ratio, target) to $LOCALFUL_BENCH_OUT.
# scripts/bench/report.mjs renders the rows. A missed target is a result, not a failure: the exit
# status is non-zero only when a part could not run.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
cd "$ROOT"

PARTS=("$@")
[ ${#PARTS[@]} -eq 0 ] && PARTS=(browser server)

ensure_rust
ensure_wasm_target
ensure_wasm_bindgen
ensure_chromium
ensure_trunk
ensure_npm_tools
ensure_fetched

OUT="$ROOT/target/bench"
mkdir -p "$OUT"
START=$SECONDS
failed=()
timings=()
for part in "${PARTS[@]}"; do
  script="$ROOT/scripts/bench/$part.sh"
  [ -x "$script" ] || die "no benchmark part '$part' (scripts/bench/$part.sh)"
  rows="$OUT/$part.jsonl"
  : > "$rows"
  log "benchmark part $part"
  t0=$SECONDS
  LOCALFUL_BENCH_OUT="$rows" "$script" 2>&1 | tee "$OUT/$part.log"
  rc=${PIPESTATUS[0]}
  timings+=("$part=$((SECONDS - t0))")
  [ "$rc" -eq 0 ] || failed+=("$part (exit $rc, log: target/bench/$part.log)")
done

rows=()
for part in "${PARTS[@]}"; do rows+=("$OUT/$part.jsonl"); done
node "$ROOT/scripts/bench/report.mjs" --out "$ROOT/BENCHMARKS.md" \
  --total "$((SECONDS - START))" --timings "${timings[*]}" "${rows[@]}"
if [ ${#failed[@]} -ne 0 ]; then
  die "these parts could not run: ${failed[*]}"
fi
log "wrote BENCHMARKS.md ($((SECONDS - START)) s)"
