#!/usr/bin/env bash
# The soak run (docs/reliability.md "Soak"): `seer run` with tools/bench/soak.yaml for MINUTES
# under mixed load — WebSocket chat sessions, Ollama API requests (tags, chat with an image,
# generate), MQTT trigger messages on a mosquitto of its own (random loopback port), a camera
# at 30 fps — from tools/bench/soak_load.mjs, which reports throughput, latency percentiles,
# errors, and seer's memory, open files and threads every 10 s. Passes (exit 0) when memory
# grew less than 5 % after the warm-up (2 minutes, or a fifth of a shorter run), no MQTT
# message was lost and no request failed. MINUTES may be a fraction (0.5 for 30 s);
# SOAK_MAX_GROWTH sets another memory limit in percent (the 20 s ctest run, soak.short).
#   tools/bench/soak.sh [BUILD_DIR] [MINUTES=10]
# Needs seer, its camera, faces, mqtt and http plugins and the scripted-chat test plugin built
# in BUILD_DIR, mosquitto and its clients, node and tests/node's packages
# (tools/dev/install-node-deps.sh), and the assets (tools/dev/fetch-assets.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
minutes="${2:-10}"
seer="$build/tools/seer/seer"
assets="${SEER_ASSETS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/seer/assets}"
image="$assets/photos/grace_hopper.jpg"
[[ -x $seer ]] || { echo "error: $seer is not built" >&2; exit 1; }
[[ -f $build/test-plugins/seer-plugin-scripted-chat.so ]] || { echo "error: the scripted-chat test plugin is not built in $build/test-plugins" >&2; exit 1; }
[[ -f $image ]] || { echo "error: $image is missing: run tools/dev/fetch-assets.sh" >&2; exit 1; }
[[ -d $root/tests/node/node_modules/ws ]] || { echo "error: run tools/dev/install-node-deps.sh first (the ws package)" >&2; exit 1; }
for program in mosquitto mosquitto_pub mosquitto_sub node curl; do
  command -v "$program" >/dev/null || { echo "error: $program is not installed (tools/dev/install-deps.sh)" >&2; exit 1; }
done

# The broker first: seer's mqtt plugin connects to it at start.
broker_dir=$(mktemp -d)
mqtt_port=$((20000 + RANDOM % 20000))
{
  echo "listener $mqtt_port 127.0.0.1"
  echo "allow_anonymous true"
  echo "persistence false"
  [[ $(id -u) != 0 ]] || echo "user root"
} >"$broker_dir/mosquitto.conf"
mosquitto -c "$broker_dir/mosquitto.conf" >"$broker_dir/log" 2>&1 &
broker_pid=$!
trap 'kill $broker_pid 2>/dev/null; wait $broker_pid 2>/dev/null; rm -rf "$broker_dir"' EXIT
for _ in $(seq 50); do
  mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -t soak/hello -m up 2>/dev/null && break
  sleep 0.1
done
mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -t soak/hello -m up \
  || { cat "$broker_dir/log" >&2; echo "error: mosquitto did not start on port $mqtt_port" >&2; exit 1; }

export SOAK_MQTT_PORT=$mqtt_port SOAK_IMAGE=$image
# shellcheck source=tools/bench/start_seer.sh disable=SC1091
source "$root/tools/bench/start_seer.sh"
start_seer "$root/tools/bench/soak.yaml"
# shellcheck disable=SC2154 # pid, port and seer_log are set by start_seer
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$seer_log"; kill $broker_pid 2>/dev/null; wait $broker_pid 2>/dev/null; rm -rf "$broker_dir"' EXIT
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
# shellcheck disable=SC2154
echo "seer: $seer (built from $source_dir at $(git -C "$source_dir" describe --always --dirty 2>/dev/null || echo "?")), pid $pid, http port $port, mosquitto port $mqtt_port"

rc=0
node "$root/tools/bench/soak_load.mjs" --http-port "$port" --mqtt-port "$mqtt_port" --pid "$pid" \
  --image "$image" --seconds "$(awk -v m="$minutes" 'BEGIN { print m * 60 }')" \
  --max-growth "${SOAK_MAX_GROWTH:-5}" || rc=$?
kill -0 "$pid" 2>/dev/null || { echo "FAIL: seer is gone" >&2; rc=1; }
# A report that never came was either dropped by the agent (its queue of trigger actions is
# bounded) or lost on the way; the log tells which.
dropped=$(grep -c 'trigger soak_trigger dropped' "$seer_log" || true)
echo "trigger actions the agent dropped (queue full): $dropped"
if grep -qiE '\b(error|critical)\b' "$seer_log"; then
  echo "seer logged errors:"
  grep -iE '\b(error|critical)\b' "$seer_log" | head -20
fi
exit "$rc"
