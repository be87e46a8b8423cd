#!/usr/bin/env bash
# Runs every command quoted in the docs against a build, or checks the reviewed mapping that
# covers it (tools/dev/docs_check.py explains the sandbox; tools/dev/docs-commands.txt is the
# mapping). ctest runs it as `docs.commands` (label docs).
#   tools/dev/docs-check.sh BUILD_DIR [--only FILE.md ...] [--list]
# SEER_ASSETS_DIR: the assets (default ~/.cache/seer/assets, tools/dev/fetch-assets.sh).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
(($# >= 1)) || fail "usage: tools/dev/docs-check.sh BUILD_DIR [--only FILE.md ...] [--list]"
command -v python3 >/dev/null || fail "docs-check needs python3 (tools/dev/install-deps.sh installs it)"
exec python3 "$SEER_ROOT/tools/dev/docs_check.py" "$@"
