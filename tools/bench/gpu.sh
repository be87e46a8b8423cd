#!/usr/bin/env bash
# BAGEL on one GPU in one go: configure and build the models-only tree (tools/bench/gpu), run the
# GPU correctness tests on the bagel-tiny fixture, run seer-bench at the 7B shape, a probe of
# cuBLAS alone on the step's matrix products and the transformers peer, and print one table (also written to $OUT/gpu-table.txt with the logs).
#   tools/bench/gpu.sh            (from the repository root, on the device machine)
# Environment: OUT (where results go, default build-gpu-device/out), SEER_GPU_BUILD (build dir),
# SEER_BENCH_TOKENS (128), SEER_BENCH_RUNS (5), SEER_GTEST_SOURCE (a GoogleTest tree, if no
# GoogleTest is installed), SEER_GPU_STEPS (which parts run, default "tests kernels bench probe
# peer").
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${SEER_GPU_BUILD:-$root/build-gpu-device}
out=${OUT:-$build/out}
tokens=${SEER_BENCH_TOKENS:-128}
runs=${SEER_BENCH_RUNS:-5}
steps=" ${SEER_GPU_STEPS:-tests kernels bench probe peer} "
wants() { [[ $steps == *" $1 "* ]]; }
mkdir -p "$out"
status=0

torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
gtest_arg=()
[[ -n ${SEER_GTEST_SOURCE:-} ]] && gtest_arg=("-DSEER_GTEST_SOURCE=$SEER_GTEST_SOURCE")
echo "== configure and build"
if ! { cmake -S "$root/tools/bench/gpu" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DSEER_MODELS_ONLY=ON -DCMAKE_PREFIX_PATH="$torch_prefix" -DCMAKE_CUDA_ARCHITECTURES=90 \
  "${gtest_arg[@]}" && cmake --build "$build" -j16 --target seer-bench seer-kernel-bench seer-gpu-tests; } \
  >"$out/build.log" 2>&1; then
  tail -50 "$out/build.log"
  echo "build failed (log: $out/build.log)"
  exit 1
fi

tests_rc=0
if wants tests; then
  echo "== GPU correctness (seer-gpu-tests)"
  "$build/seer-gpu-tests" 2>&1 | tee "$out/gpu-tests.log" |
    grep -E "error|FAILED|PASSED|SKIPPED|Failure|Expected|Which is|ids equal|tie"
  tests_rc=${PIPESTATUS[0]}
  ((tests_rc == 0)) || status=1
fi

if wants kernels; then
  echo "== seer-kernel-bench (seer's kernels alone at the 7B shapes)"
  "$build/seer-kernel-bench" 2>&1 | tee "$out/kernels.log"
  ((PIPESTATUS[0] == 0)) || status=1
fi

if wants bench; then
  echo "== seer-bench (7B shape, random bf16 weights, $tokens tokens, median of $runs)"
  "$build/seer-bench" --tokens "$tokens" --runs "$runs" 2>&1 | tee "$out/bench.log"
  ((PIPESTATUS[0] == 0)) || status=1
fi

if wants probe; then
  echo "== probe: the step's matrix products alone, one CUDA graph"
  PYTHONUNBUFFERED=1 python3 "$root/tools/bench/gemv_probe.py" 2>&1 | tee "$out/probe.log"
  ((PIPESTATUS[0] == 0)) || status=1
fi

if wants peer; then
  echo "== peer: transformers Qwen2ForCausalLM"
  PYTHONUNBUFFERED=1 python3 "$root/tools/bench/peer_qwen2.py" --tokens "$tokens" --runs "$runs" \
    2>&1 | tee "$out/peer.log"
  ((PIPESTATUS[0] == 0)) || status=1
fi

{
  echo "device: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader)"
  echo "torch: $(python3 -c 'import torch; print(torch.__version__)')"
  wants tests && echo "gpu tests: $([[ $tests_rc == 0 ]] && echo passed || echo FAILED)"
  printf '%-44s %12s  %s\n' measurement value unit
  cat "$out"/{kernels,bench,probe,peer}.log 2>/dev/null | grep '^RESULT ' |
    awk '{ printf "%-44s %12.2f  %s\n", $2, $3, $4 }'
} | tee "$out/gpu-table.txt"
exit "$status"
