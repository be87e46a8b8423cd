#!/usr/bin/env bash
# Load on the /ws WebSocket protocol from a second process: starts `seer run` with
# tools/bench/ws-load.yaml (an agent on a scripted chat model), then tools/bench/ws_load.mjs:
# SESSIONS sessions at once, each chatting MESSAGES times. The issue's target: 200 sessions,
# no error, flat memory.
#   tools/bench/ws_load.sh [BUILD_DIR] [SESSIONS] [MESSAGES]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
sessions="${2:-200}"
messages="${3:-20}"
seer="$build/tools/seer/seer"
[[ -x $seer ]] || { echo "error: $seer is not built" >&2; exit 1; }
[[ -d $root/tests/node/node_modules/ws ]] || { echo "error: run tools/dev/install-node-deps.sh first (the ws package)" >&2; exit 1; }

port=$((20000 + RANDOM % 20000))
log=$(mktemp)
SEER_BENCH_PORT=$port SEER_TEST_PLUGIN_DIR="$build/test-plugins" \
  "$seer" run --config "$root/tools/bench/ws-load.yaml" --log-level warning >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$log" >&2; echo "error: seer did not answer" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "seer: $("$seer" --version)"
url="ws://127.0.0.1:$port/ws"
node "$root/tools/bench/ws_load.mjs" --url "$url" --sessions 20 --messages 5 --agent loader >/dev/null # warm-up
for round in 1 2 3; do
  echo "== round $round"
  node "$root/tools/bench/ws_load.mjs" --url "$url" --sessions "$sessions" --messages "$messages" \
    --agent loader --pid "$pid"
done
