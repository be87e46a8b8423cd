#!/usr/bin/env bash
# Checks tools/dev/docs_check.py itself on small Markdown files of its own:
#   1. a clean file (a command that runs, a console block whose output matches) passes;
#   2. a command that is neither mapped nor able to run fails, naming file:line;
#   3. a console block whose output differs from the doc fails;
#   4. a mapping that names a test ctest does not know fails, naming the mapping's line;
#   5. a `$ ` prompt in an unlabelled block fails, naming file:line;
#   6. a command for root (sudo, apt, ...) that is not mapped fails without being run.
#   tests/docs/checker_test.sh BUILD_DIR
# shellcheck disable=SC2016 # the backticks and $ below are Markdown, not expansions
set -euo pipefail
build=$1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() { python3 "$root/tools/dev/docs_check.py" "$build" "$@" >"$work/out" 2>&1; }
expect_failure() { # NAME PATTERN ARGS...: the check must fail and print PATTERN
  local name=$1 pattern=$2
  shift 2
  if check "$@"; then
    cat "$work/out"
    echo "FAIL $name: the check passed" >&2
    exit 1
  fi
  grep -q -- "$pattern" "$work/out" || { cat "$work/out"; echo "FAIL $name: no '$pattern' in the output" >&2; exit 1; }
  echo "ok   $name"
}

cat >"$work/clean.md" <<'MD'
# Clean

```sh
seer --version
```

```console
$ seer config check broken.yaml
broken.yaml:2:22: error: key 'seer.shutdown_deadline': expected a duration such as 500ms, 2s, 1m
```

<!-- docs-check: file broken.yaml -->
```yaml
seer:
  shutdown_deadline: soon
```
MD
check --only "$work/clean.md" || { cat "$work/out"; echo "FAIL clean: a clean file failed" >&2; exit 1; }
echo "ok   clean file passes"

printf '# Unmapped\n\nText.\n\n```sh\nseer --version\nseer frobnicate --now\n```\n' >"$work/unmapped.md"
expect_failure "unmapped command" "unmapped.md:7: \`seer frobnicate --now\` failed" --only "$work/unmapped.md"

printf '```console\n$ seer --version\nseer 9.9.9 (plugin ABI 99)\n```\n' >"$work/output.md"
expect_failure "wrong output" "output.md:2: .*lacks the doc's line 'seer 9.9.9 (plugin ABI 99)'" --only "$work/output.md"

printf '```sh\nsudo rm -rf /nowhere\n```\n' >"$work/mapped.md"
printf 'map: ^sudo rm -rf /nowhere$\ntest: no.such-test\nwhy: a test of the checker\n' >"$work/map.txt"
expect_failure "mapping to a missing test" "map.txt:1: the mapping names the test 'no.such-test'" \
  --only "$work/mapped.md" --map "$work/map.txt"

printf '```\n$ seer --version\n```\n' >"$work/prompt.md"
expect_failure "prompt outside a console block" "prompt.md:2: a \`\$ \` command" --only "$work/prompt.md"

printf '```sh\nsudo apt-get install -y cowsay\n```\n' >"$work/root.md"
expect_failure "a command for root is never run" "root.md:2: \`sudo apt-get install -y cowsay\` is neither mapped nor safe" \
  --only "$work/root.md"
