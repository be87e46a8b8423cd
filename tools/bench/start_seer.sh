# Sourced by the load benchmarks: start_seer CONFIG starts `$seer run` with CONFIG (which
# reads its port from SEER_BENCH_PORT and the test plugins from SEER_TEST_PLUGIN_DIR) on a
# random loopback port, waits until /healthz answers, and sets `port` and `pid`; seer is
# stopped when the script exits. Needs `seer` and `build` set.
start_seer() {
  port=$((20000 + RANDOM % 20000))
  seer_log=$(mktemp)
  SEER_BENCH_PORT=$port SEER_TEST_PLUGIN_DIR="$build/test-plugins" \
    "$seer" run --config "$1" --log-level warning >"$seer_log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$seer_log"' EXIT
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.1
  done
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$seer_log" >&2; echo "error: seer did not answer" >&2; exit 1; }
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
}
