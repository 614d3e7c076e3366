# shellcheck shell=bash
# Readiness waits for the test scripts: the one polling helper they use. A wait ends as soon as
# the awaited state is observed; its deadline only bounds a failure.

# wait_until SECONDS WHAT [--pid PID] COMMAND... — runs COMMAND every 0.1 s until it succeeds.
# Fails (status 1, printing WHAT) when SECONDS have passed, or at once when process PID has exited.
wait_until() {
  local limit=$1 what=$2 pid=""; shift 2
  if [ "${1:-}" = --pid ]; then pid=$2; shift 2; fi
  local deadline=$((SECONDS + limit + 1)) # SECONDS counts whole seconds: never less than `limit`
  until "$@"; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      printf '\033[1;31m[localful] error:\033[0m %s: the process (pid %s) exited first\n' "$what" "$pid" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      printf '\033[1;31m[localful] error:\033[0m %s: not within %s s\n' "$what" "$limit" >&2
      return 1
    fi
    sleep 0.1
  done
}

# log_match FILE REGEX — the first match of REGEX (grep -E -o) in FILE, colour codes removed; fails when none.
log_match() {
  [ -f "$1" ] || return 1
  sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E -o -m1 "$2" | head -n1 | grep .
}

# has_line FILE REGEX — FILE has a line matching REGEX (colour codes removed).
has_line() { log_match "$1" "$2" >/dev/null; }
