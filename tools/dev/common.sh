# Shared helpers for the tools/dev scripts: coloured step messages and a failure exit.
step() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[1;33mwarning: %s\033[0m\n' "$*" >&2; }
fail() { printf '\033[1;31merror: %s\033[0m\n' "$*" >&2; exit 1; }
SEER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SEER_CACHE="${SEER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/seer}"
export SEER_ROOT SEER_CACHE
