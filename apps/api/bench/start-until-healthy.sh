#!/usr/bin/env bash
# Start-up time of `npm start`: starts it in a process group of its own, waits until GET /health answers,
# appends the seconds that took to $START_TIMES (when set), then stops the whole group and waits for it.
# Used for docs/performance.md's start-up figures (fresh data directory: DATA_DIR=$(mktemp -d)).
set -euo pipefail
cd "$(dirname "$0")/../../.."
PORT=${PORT:-3990}
t0=$(date +%s.%N)
PORT=$PORT LOG_LEVEL=warn setsid npm start >/dev/null 2>&1 &
group=$!
trap 'kill -TERM -- "-$group" 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"; do
  kill -0 "$group" 2>/dev/null || { echo "npm start exited" >&2; exit 1; }
  sleep 0.05
done
t1=$(date +%s.%N)
if [ -n "${START_TIMES:-}" ]; then echo "$t0 $t1" | awk '{ printf "%.2f\n", $2 - $1 }' >>"$START_TIMES"; fi
kill -TERM -- "-$group"
while kill -0 -- "-$group" 2>/dev/null; do sleep 0.05; done
trap - EXIT
