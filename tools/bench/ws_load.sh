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

# shellcheck source=tools/bench/start_seer.sh disable=SC1091
source "$root/tools/bench/start_seer.sh"
start_seer "$root/tools/bench/ws-load.yaml"
echo "seer: $("$seer" --version)"
url="ws://127.0.0.1:$port/ws"
node "$root/tools/bench/ws_load.mjs" --url "$url" --sessions 20 --messages 5 --agent loader >/dev/null # warm-up
for round in 1 2 3; do
  echo "== round $round"
  node "$root/tools/bench/ws_load.mjs" --url "$url" --sessions "$sessions" --messages "$messages" \
    --agent loader --pid "$pid"
done
