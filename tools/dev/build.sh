#!/usr/bin/env bash
# Configures and builds seer with CMake + Ninja (RelWithDebInfo) through ccache.
# Arguments go to the configure step:   tools/dev/build.sh -DSEER_SANITIZE=address,undefined
# SEER_BUILD_DIR picks the build folder (default: build/ in the source tree); CCACHE_DIR
# defaults to "$SEER_CACHE/ccache"; SEER_BUILD_TARGETS (space-separated) builds only those.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build_dir="${SEER_BUILD_DIR:-$SEER_ROOT/build}"
export CCACHE_DIR="${CCACHE_DIR:-$SEER_CACHE/ccache}"
jobs=$(nproc)

for cmd in cmake ninja; do
  command -v "$cmd" >/dev/null || fail "$cmd is not installed: run tools/dev/install-deps.sh"
done
# A folder configured earlier with another generator cannot be reused with Ninja.
if [[ -f $build_dir/CMakeCache.txt ]] && ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' "$build_dir/CMakeCache.txt"; then
  fail "$build_dir was configured with another generator than Ninja: remove it (rm -rf $build_dir) and run again"
fi

start=$SECONDS
step "configuring $build_dir (Ninja, RelWithDebInfo${*:+, $*})"
cmake -S "$SEER_ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" \
  || fail "build.sh: the configure step (cmake -S $SEER_ROOT -B $build_dir) failed; see the CMake messages above"

read -r -a targets <<<"${SEER_BUILD_TARGETS:-}"
step "building $build_dir with $jobs jobs${targets[*]:+: ${targets[*]}}"
cmake --build "$build_dir" -j"$jobs" ${targets[@]:+--target "${targets[@]}"} \
  || fail "build.sh: the build step (cmake --build $build_dir) failed; see the compiler messages above"

if command -v ccache >/dev/null; then
  # ccache 4: "Hits: a / b (x %)" under "Cacheable calls", and "Cache size (GB): ..." below.
  stats=$(ccache -s 2>/dev/null || true)
  hits=$(grep -m1 -E '^ *Hits:' <<<"$stats" | tr -s ' ' | sed 's/^ //' || true)
  size=$(grep -m1 -E 'Cache size' <<<"$stats" | tr -s ' ' | sed 's/^ //' || true)
  step "ccache ($CCACHE_DIR): ${hits:-no hits yet}${size:+; $size}"
fi
step "built $build_dir in $((SECONDS - start)) s"
