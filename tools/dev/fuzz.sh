#!/usr/bin/env bash
# Builds the libFuzzer fuzzers (fuzz/, clang with ASan + UBSan, in build-fuzz/) and runs each
# for a fixed time on a copy of its seed corpus, so the committed corpus never grows by itself.
#   tools/dev/fuzz.sh [SECONDS_EACH] [FUZZER ...]     (default: 60 s each, every fuzzer)
#   tools/dev/fuzz.sh 600 tokenizer image              the names are fuzz/NAME_fuzzer.cpp's
# Prints per fuzzer the executions, time, exec/s, coverage (cov: edges, ft: features) and the
# result; exits non-zero when any fuzzer found a crash, a leak or a sanitizer report, leaving
# the input under build-fuzz/fuzz-work/NAME/ (add it to fuzz/corpus/NAME/ with its fix).
# SEER_FUZZ_BUILD_DIR picks the build folder; extra libFuzzer flags go in SEER_FUZZ_FLAGS.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds="${1:-60}"
[[ $seconds =~ ^[0-9]+$ ]] || fail "fuzz.sh: SECONDS_EACH must be a number of seconds, got '$seconds'"
shift $(($# > 0 ? 1 : 0))
available=()
for source in "$SEER_ROOT"/fuzz/*_fuzzer.cpp; do
  name=$(basename "$source" _fuzzer.cpp)
  available+=("$name")
done
fuzzers=("$@")
((${#fuzzers[@]} > 0)) || fuzzers=("${available[@]}")
for name in "${fuzzers[@]}"; do
  [[ " ${available[*]} " == *" $name "* ]] || fail "fuzz.sh: no fuzzer '$name' (known: ${available[*]})"
done

build_dir="${SEER_FUZZ_BUILD_DIR:-$SEER_ROOT/build-fuzz}"
export CCACHE_DIR="${CCACHE_DIR:-$SEER_CACHE/ccache}"
command -v clang++ >/dev/null || fail "fuzz.sh: clang++ is not installed: run tools/dev/install-deps.sh"
export SEER_ASSETS_DIR="${SEER_ASSETS_DIR:-$SEER_CACHE/assets}"
if [[ " ${fuzzers[*]} " == *" tokenizer "* && ! -f $SEER_ASSETS_DIR/tokenizer/tokenizer.json ]]; then
  bash "$SEER_ROOT/tools/dev/fetch-assets.sh" || fail "fuzz.sh: fetching the assets (the tokenizer) failed"
fi

step "fuzz.sh: building the fuzzers in $build_dir (clang, ASan + UBSan + libFuzzer)"
start=$SECONDS
# -O1 with line tables: what libFuzzer's docs advise, and far quicker to build than -O2 -g.
cmake -S "$SEER_ROOT" -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DSEER_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  -DSEER_WITH_TORCH=OFF -DSEER_BUILD_TESTS=OFF -DSEER_BUILD_BENCHMARKS=OFF >/dev/null \
  || fail "fuzz.sh: configuring $build_dir failed; run the cmake line in tools/dev/fuzz.sh to see why"
cmake --build "$build_dir" -j"$(nproc)" --target "${fuzzers[@]/%/_fuzzer}" \
  || fail "fuzz.sh: building the fuzzers failed; see the compiler messages above"
step "fuzz.sh: built in $((SECONDS - start)) s; running ${#fuzzers[@]} fuzzers for $seconds s each"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
read -r -a extra_flags <<<"${SEER_FUZZ_FLAGS:-}"
results=()
failed=()
for name in "${fuzzers[@]}"; do
  work="$build_dir/fuzz-work/$name"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp -r "$SEER_ROOT/fuzz/corpus/$name/." "$work/corpus/"
  log="$work/fuzz.log"
  rc=0
  "$build_dir/fuzz/${name}_fuzzer" "$work/corpus" -max_total_time="$seconds" -detect_leaks=1 \
    -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "${extra_flags[@]}" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1 s/p' "$log" | tail -1)
  coverage=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  if ((rc == 0)); then
    result="ok"
  else
    artifact=$(find "$work/artifacts" -type f | head -1)
    result="FAILED (exit $rc${artifact:+, input $artifact})"
    failed+=("$name")
    warn "fuzz.sh: $name failed; the end of $log:"
    tail -40 "$log" >&2
  fi
  line=$(printf '%-20s %9s runs in %6s %6s exec/s  %-22s %s' "$name" "${runs:-?}" \
    "${took:-?}" "${speed:-?}" "${coverage:-cov: ? ft: ?}" "$result")
  results+=("$line")
  step "$line"
done

step "fuzz.sh: $seconds s each, in $((SECONDS - start)) s with the build"
printf '%s\n' "${results[@]}"
((${#failed[@]} == 0)) || fail "fuzz.sh: ${#failed[@]} fuzzer(s) found a problem: ${failed[*]}"
