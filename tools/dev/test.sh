#!/usr/bin/env bash
# Runs seer's tests: installs the Debian packages, fetches the pinned assets, builds, then ctest.
# Arguments go to the configure step (tools/dev/build.sh). The exit code is ctest's.
#   tools/dev/test.sh [-DOPTION=VALUE ...]
# SEER_SANITIZE=address,undefined builds into build-sanitize/ with -DSEER_SANITIZE=that;
# SEER_SANITIZE=thread into build-tsan/. SEER_BUILD_TARGETS (build.sh) builds only those
# targets, SEER_CTEST_LABEL runs only the tests with that ctest label (e.g. tsan).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dev="$SEER_ROOT/tools/dev"
build_dir="${SEER_BUILD_DIR:-$SEER_ROOT/build}"
build_args=("$@")
if [[ -n ${SEER_SANITIZE:-} ]]; then
  if [[ $SEER_SANITIZE == thread ]]; then build_dir="$build_dir-tsan"; else build_dir="$build_dir-sanitize"; fi
  build_args=("-DSEER_SANITIZE=$SEER_SANITIZE" "${build_args[@]}")
  # A sanitizer report fails the test (the build uses -fno-sanitize-recover) with a stack.
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  # TSan reports and goes on unless told to stop at the first race; tsan.supp names only
  # third-party code.
  export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$SEER_ROOT/tools/dev/tsan.supp}"
fi
export SEER_BUILD_DIR="$build_dir"

step "test.sh: 1/4 Debian packages"
bash "$dev/install-deps.sh" || fail "test.sh: installing the Debian packages (tools/dev/install-deps.sh) failed"
step "test.sh: 2/4 assets"
bash "$dev/fetch-assets.sh" || fail "test.sh: fetching the assets (tools/dev/fetch-assets.sh) failed"
step "test.sh: 2/4 npm packages of the compatibility tests"
bash "$dev/install-node-deps.sh" || fail "test.sh: installing the npm packages (tools/dev/install-node-deps.sh) failed"
step "test.sh: 3/4 build${SEER_SANITIZE:+ with sanitizers $SEER_SANITIZE}"
bash "$dev/build.sh" "${build_args[@]}" || fail "test.sh: the build (tools/dev/build.sh) failed"

export SEER_ASSETS_DIR="$SEER_CACHE/assets"
step "test.sh: 4/4 ctest in $build_dir (assets in $SEER_ASSETS_DIR)"
rc=0
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 300 --no-tests=error \
  ${SEER_CTEST_LABEL:+--label-regex "^${SEER_CTEST_LABEL}\$"} || rc=$?
if ((rc == 0)); then
  step "tests passed ($build_dir)"
else
  printf '\033[1;31merror: %s\033[0m\n' "test.sh: ctest failed with exit code $rc ($build_dir); see the output above" >&2
fi
exit "$rc"
