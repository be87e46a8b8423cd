# Shared by the install and package tests: messages, cleanup, a broker and `seer run` to wait on.
# shellcheck shell=bash

# test_name is set by the script that sources this file.
# shellcheck disable=SC2154
say() { printf '%s: %s\n' "$test_name" "$*"; }
die() {
  printf '%s: FAILED: %s\n' "$test_name" "$*" >&2
  exit 1
}

# Processes started by the test, stopped (by pid) on exit, and the scratch folder removed.
started_pids=()
scratch=$(mktemp -d "${TMPDIR:-/tmp}/seer-$test_name.XXXXXX")
cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

# wait_for_line FILE REGEX SECONDS: prints the first line of FILE matching REGEX.
wait_for_line() {
  local file=$1 regex=$2 deadline=$((SECONDS + $3)) line
  while ((SECONDS < deadline)); do
    if line=$(grep -m1 -E "$regex" "$file" 2>/dev/null); then
      printf '%s\n' "$line"
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# The port of `[INSTANCE] listening on 127.0.0.1:PORT` in seer's log FILE.
listening_port() {
  local line
  line=$(wait_for_line "$1" "\[$2\] listening on 127\.0\.0\.1:[0-9]+" 60) ||
    die "$2 did not log 'listening on' within 60 s; seer's log: $(cat "$1")"
  [[ $line =~ listening\ on\ 127\.0\.0\.1:([0-9]+) ]] && printf '%s\n' "${BASH_REMATCH[1]}"
}

# Starts `seer run --config CONFIG` (the given seer binary) logging to LOG; sets seer_pid.
start_seer() {
  local seer=$1 config=$2 log=$3
  env -u SEER_PLUGIN_PATH "$seer" run --config "$config" >"$log" 2>&1 &
  seer_pid=$!
  started_pids+=("$seer_pid")
}

# SIGTERM, then seer must exit 0 within its shutdown deadline.
stop_seer() {
  local log=$1 code=0
  kill -TERM "$seer_pid"
  wait "$seer_pid" || code=$?
  ((code == 0)) || die "seer exited with $code after SIGTERM; its log: $(cat "$log")"
}

# GET URL; its body must contain TEXT.
expect_answer() {
  local url=$1 text=$2 body
  body=$(curl -sS --max-time 10 "$url") || die "GET $url failed"
  [[ $body == *"$text"* ]] || die "GET $url answered '$body', expected '$text' in it"
  say "GET $url: $body"
}
