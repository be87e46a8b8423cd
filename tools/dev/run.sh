#!/usr/bin/env bash
# Runs seer with configs/default.yaml: installs the Debian packages, fetches the pinned assets,
# builds, then starts seer in the foreground. Arguments go to `seer run`.
#   tools/dev/run.sh [seer run options]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dev="$SEER_ROOT/tools/dev"
build_dir="${SEER_BUILD_DIR:-$SEER_ROOT/build}"
export SEER_BUILD_DIR="$build_dir"

step "run.sh: 1/3 Debian packages"
bash "$dev/install-deps.sh" || fail "run.sh: installing the Debian packages (tools/dev/install-deps.sh) failed"
step "run.sh: 2/3 assets"
bash "$dev/fetch-assets.sh" || fail "run.sh: fetching the assets (tools/dev/fetch-assets.sh) failed"
step "run.sh: 3/3 build"
bash "$dev/build.sh" || fail "run.sh: the build (tools/dev/build.sh) failed"

seer="$build_dir/tools/seer/seer"
config="$SEER_ROOT/configs/default.yaml"
[[ -x $seer ]] || fail "run.sh: the build did not produce $seer"
[[ -f $config ]] || fail "run.sh: $config is missing"
export SEER_ASSETS_DIR="$SEER_CACHE/assets"

step "seer is running; press Ctrl-C to stop ($seer run --config $config${*:+ $*}; assets in $SEER_ASSETS_DIR)"
exec "$seer" run --config "$config" "$@"
