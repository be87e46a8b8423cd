#!/usr/bin/env bash
# The install, end to end (issue 9): `cmake --install` of BUILD_DIR into a fresh prefix; the
# layout checked; the example plugin (examples/doorbell-plugin) configured and built against
# that prefix's SDK only; the *installed* seer started with it and the http and mqtt plugins;
# a webhook POST must reach a real mosquitto as an MQTT message, and Ollama's API must answer.
#   tests/install/install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
test_name=install
build_dir=$1
source_dir=$2
# shellcheck source-path=SCRIPTDIR source=test_support.sh
source "$(dirname "${BASH_SOURCE[0]}")/test_support.sh"

prefix=$scratch/prefix
say "cmake --install $build_dir --prefix $prefix"
start=$SECONDS
cmake --install "$build_dir" --prefix "$prefix" >"$scratch/install.log" 2>&1 ||
  die "cmake --install failed: $(tail -20 "$scratch/install.log")"
say "installed in $((SECONDS - start)) s"

# ---- the layout --------------------------------------------------------------------------
seer=$prefix/bin/seer
for file in bin/seer include/seer/plugin.hpp include/seer/services/camera.hpp \
  etc/seer/seer.yaml etc/seer/sophia.yaml etc/seer/agents/sophia.yaml etc/default/seer \
  lib/systemd/system/seer.service share/doc/seer/install.md \
  share/doc/seer/examples/doorbell-plugin/CMakeLists.txt; do
  [[ -f $prefix/$file ]] || die "$file is not installed"
done
core=$(find "$prefix" -name 'libseer-core.so.0' -print -quit)
[[ -n $core ]] || die "libseer-core.so.0 is not installed"
libdir=$(dirname "$core")
for file in seer/plugins/seer-plugin-http.so seer/plugins/seer-plugin-mqtt.so \
  cmake/seer/seerConfig.cmake cmake/seer/seerConfigVersion.cmake cmake/seer/seerTargets.cmake; do
  [[ -f $libdir/$file ]] || die "${libdir#"$prefix"/}/$file is not installed"
done
grep -q "^ExecStart=$seer run --config $prefix/etc/seer/seer.yaml$" \
  "$prefix/lib/systemd/system/seer.service" || die "seer.service does not start $seer"
# Relative RPATHs: nothing installed points back into the build tree.
if readelf -d "$seer" "$libdir"/seer/plugins/*.so | grep -F "$build_dir"; then
  die "an installed file has an RPATH into the build tree"
fi
say "layout: ok"

# The installed seer finds its plugins beside it, with no SEER_PLUGIN_PATH.
plugins=$(env -u SEER_PLUGIN_PATH "$seer" plugins) || die "seer plugins failed"
[[ $plugins == *"$libdir/seer/plugins/seer-plugin-http.so"* ]] ||
  die "the installed seer does not list its installed plugins: $plugins"
[[ $plugins != *"$build_dir"* ]] || die "the installed seer looks into the build tree: $plugins"
env -u SEER_PLUGIN_PATH "$seer" config check "$prefix/etc/seer/seer.yaml" >/dev/null ||
  die "seer config check of the installed seer.yaml failed"

if command -v systemd-analyze >/dev/null; then
  # --man=no: the Documentation= file:// URL is not a man page.
  systemd-analyze verify --man=no "$prefix/lib/systemd/system/seer.service" 2>"$scratch/verify.log" ||
    die "systemd-analyze verify seer.service: $(cat "$scratch/verify.log")"
  say "systemd-analyze verify seer.service: ok"
else
  say "systemd-analyze is not installed: the unit is not verified"
fi

# ---- the example plugin, against the installed SDK only ------------------------------------
say "building examples/doorbell-plugin against $prefix"
start=$SECONDS
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Paths under the scratch folder hash the same from run to run: ccache hits the second time.
CCACHE_BASEDIR=$scratch cmake -S "$source_dir/examples/doorbell-plugin" -B "$scratch/doorbell" "${generator[@]}" \
  "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$scratch/doorbell.log" 2>&1 ||
  die "configuring the example failed: $(cat "$scratch/doorbell.log")"
grep -qx "seer_DIR:PATH=$libdir/cmake/seer" "$scratch/doorbell/CMakeCache.txt" ||
  die "the example found another seer: $(grep seer_DIR "$scratch/doorbell/CMakeCache.txt")"
CCACHE_BASEDIR=$scratch cmake --build "$scratch/doorbell" >>"$scratch/doorbell.log" 2>&1 ||
  die "building the example failed: $(tail -40 "$scratch/doorbell.log")"
[[ -f $scratch/doorbell/seer-plugin-doorbell.so ]] || die "no seer-plugin-doorbell.so was built"
say "built the example in $((SECONDS - start)) s"

# ---- a real broker on a free loopback port --------------------------------------------------
broker_port=
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$scratch/mosquitto.conf"
  mosquitto -c "$scratch/mosquitto.conf" >"$scratch/mosquitto.log" 2>&1 &
  broker_pid=$!
  if wait_for_line "$scratch/mosquitto.log" "Opening ipv4 listen socket on port $port" 5 >/dev/null &&
    kill -0 "$broker_pid" 2>/dev/null; then
    started_pids+=("$broker_pid")
    broker_port=$port
    break
  fi
  kill "$broker_pid" 2>/dev/null || true
  wait "$broker_pid" 2>/dev/null || true
done
[[ -n $broker_port ]] || die "mosquitto did not start: $(cat "$scratch/mosquitto.log")"

# ---- the installed seer with the example plugin --------------------------------------------
cat >"$scratch/seer.yaml" <<YAML
seer:
  plugin_path: [$scratch/doorbell]
  shutdown_deadline: 5s
plugins:
  http:
    port: 0
  doorbell:
    port: 0
    topic: mqtt/out/seer-install-test/doorbell
  mqtt:
    host: 127.0.0.1
    port: $broker_port
    node_name: seer-install-test
YAML
start_seer "$seer" "$scratch/seer.yaml" "$scratch/seer.log"
http_port=$(listening_port "$scratch/seer.log" http)
doorbell_port=$(listening_port "$scratch/seer.log" doorbell)
wait_for_line "$scratch/seer.log" "\[mqtt\].*connected" 30 >/dev/null ||
  die "the mqtt plugin did not connect: $(cat "$scratch/seer.log")"

expect_answer "http://127.0.0.1:$http_port/api/version" '"version"'

# Ring until the subscriber, started first, has the message (it may subscribe after a ring).
mosquitto_sub -h 127.0.0.1 -p "$broker_port" -t seer-install-test/doorbell -C 1 -W 30 \
  >"$scratch/received.txt" 2>&1 &
subscriber_pid=$!
started_pids+=("$subscriber_pid")
for _ in $(seq 1 20); do
  answer=$(curl -sS --max-time 10 -X POST "http://127.0.0.1:$doorbell_port/ring" \
    -d '{"button": "front"}') || die "POST /ring failed"
  [[ $answer == '{"rang":true}' ]] || die "POST /ring answered '$answer'"
  [[ -s $scratch/received.txt ]] && break
  sleep 0.5
done
wait "$subscriber_pid" || die "no doorbell message reached the broker: $(cat "$scratch/received.txt")"
received=$(cat "$scratch/received.txt")
[[ $received == *'"button":"front"'* ]] || die "the broker got '$received'"
say "the broker got the ring: $received"

stop_seer "$scratch/seer.log"
say "passed"
