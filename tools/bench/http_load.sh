#!/usr/bin/env bash
# Load on the http plugin from a second process: wrk against GET /api/tags on loopback.
# Starts `seer run` with tools/bench/http-load.yaml (the http plugin and a scripted chat
# model, so /api/tags lists a model), warms up, then runs wrk and prints requests/s and the
# latency percentiles. The issue's targets on the 2-core machine: >= 20,000 req/s, p99 < 10 ms.
# The peer, measured in the same run the same way: a Flask app (the seed's bagel_api.py was
# one) serving the same body, when Debian's python3-flask is installed.
#   tools/bench/http_load.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
seconds="${2:-15}"
connections="${3:-64}"
command -v wrk >/dev/null || { echo "error: wrk is not installed: apt-get install wrk (tools/dev/install-deps.sh)" >&2; exit 1; }
seer="$build/tools/seer/seer"
[[ -x $seer ]] || { echo "error: $seer is not built" >&2; exit 1; }

# shellcheck source=tools/bench/start_seer.sh disable=SC1091
source "$root/tools/bench/start_seer.sh"
start_seer "$root/tools/bench/http-load.yaml"
echo "seer: $("$seer" --version); wrk -t2 -c$connections -d${seconds}s --latency GET /api/tags"
load() { # URL
  wrk -t2 -c"$connections" -d2s "$1" >/dev/null # warm-up
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$1"
}
echo "== seer"
load "http://127.0.0.1:$port/api/tags"
echo "resident memory of seer after the run: $(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024)) MiB"
body=$(mktemp)
curl -sf "http://127.0.0.1:$port/api/tags" >"$body"
kill "$pid" && wait "$pid" 2>/dev/null || true

if python3 -c 'import flask' 2>/dev/null; then
  peer_port=$((port + 1))
  python3 "$root/tools/bench/peer_flask_tags.py" "$peer_port" "$body" >/dev/null 2>&1 &
  peer=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$peer_port/api/tags" >/dev/null && break; sleep 0.1; done
  echo "== peer: Flask $(python3 -c 'import importlib.metadata as m; print(m.version("flask"))') development server (threaded), same body"
  load "http://127.0.0.1:$peer_port/api/tags"
  kill "$peer"
else
  echo "== peer skipped: Debian's python3-flask is not installed"
fi
rm -f "$body"
