#!/usr/bin/env bash
# Installs the pinned npm packages of the compatibility tests (tests/node/package.json and its
# package-lock.json: ollama, openai, ws, playwright-core) into tests/node/node_modules with
# `npm ci`. Idempotent: nothing is fetched when the installed tree matches the lock file.
# Chromium for the browser test is a Debian package (install-deps.sh), never a download.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dir="$SEER_ROOT/tests/node"
stamp="$dir/node_modules/.seer-lock.sha256"

command -v node >/dev/null || fail "node is not installed: run tools/dev/install-deps.sh (Debian package nodejs)"
command -v npm >/dev/null || fail "npm is not installed: run tools/dev/install-deps.sh (Debian package npm)"
major=$(node -p 'process.versions.node.split(".")[0]')
((major >= 20)) || fail "Node.js $(node --version) is too old: the pinned clients need 20 or newer (Debian 12 ships 18; take nodejs 20 from NodeSource)"

want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
  step "npm packages of tests/node are installed (package-lock.json $want)"
  exit 0
fi
step "installing the npm packages of tests/node (npm ci)"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) \
  || fail "npm ci in $dir failed: check that the npm registry is reachable"
echo "$want" >"$stamp"
step "npm packages installed in $dir/node_modules"
