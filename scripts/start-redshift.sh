#!/usr/bin/env bash
# Starts the Redshift emulator (tests/tools/redshift_emulator.mjs): a
# PostgreSQL-protocol proxy on 127.0.0.1 in front of the test PostgreSQL that
# behaves like Amazon Redshift (its DDL, COPY JSON from S3, UNLOAD to Parquet,
# its refusals), waits until it answers, and prints the warehouse URI:
#
#   eval "$(scripts/start-postgres.sh)"; eval "$(scripts/start-s3.sh)"
#   eval "$(scripts/start-redshift.sh)"     # exports SPARKIFY_REDSHIFT_URI
#
# Env: SPARKIFY_TEST_PG and SPARKIFY_TEST_S3_ENDPOINT (required: the servers
# it fronts), SPARKIFY_REDSHIFT_PORT (default 54399), SPARKIFY_REDSHIFT_SLICES
# (default 2). Stop it with scripts/stop-redshift.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${SPARKIFY_REDSHIFT_PORT:-54399}
slices=${SPARKIFY_REDSHIFT_SLICES:-2}
tools="$root/tests/tools"
state="${TMPDIR:-/tmp}/sparkify-redshift-$port.state"
uri="redshift://postgres@127.0.0.1:$port/postgres?sslmode=disable"

missing=()
[[ -n "${SPARKIFY_TEST_PG:-}" ]] || missing+=(SPARKIFY_TEST_PG)
[[ -n "${SPARKIFY_TEST_S3_ENDPOINT:-}" ]] || missing+=(SPARKIFY_TEST_S3_ENDPOINT)
if (( ${#missing[@]} )); then
  echo "start-redshift: ${missing[*]} unset: start PostgreSQL and S3 first" \
    '(eval "$(scripts/start-postgres.sh)"; eval "$(scripts/start-s3.sh)")' >&2
  exit 1
fi

answers() {
  # An SSLRequest over bash's /dev/tcp: true once the emulator answers 'N'.
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf '\x00\x00\x00\x08\x04\xd2\x16\x2f' >&3
    IFS= read -r -t 2 -n 1 reply <&3 || exit 1
    [[ "$reply" == N ]]
  ) 2>/dev/null
}

if [[ -f "$state" ]] && kill -0 "$(cut -d' ' -f1 "$state")" 2>/dev/null && answers; then
  echo "export SPARKIFY_REDSHIFT_URI='$uri'"
  exit 0
fi
command -v node >/dev/null || { echo "start-redshift: node is not installed (run scripts/install-deps.sh)" >&2; exit 1; }
if [[ ! -d "$tools/node_modules/pg" || ! -d "$tools/node_modules/@duckdb/node-api" ]]; then
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error >/dev/null
fi

log=$(mktemp /tmp/sparkify-redshift.XXXXXX)
# A day's lifetime: a forgotten emulator goes away by itself.
setsid node "$tools/redshift_emulator.mjs" --pg "$SPARKIFY_TEST_PG" --s3 "$SPARKIFY_TEST_S3_ENDPOINT" \
  --port "$port" --slices "$slices" --lifetime-s 86400 </dev/null >"$log" 2>&1 &
pid=$!
echo "$pid $log" >"$state"
for _ in $(seq 1 150); do
  if answers; then
    echo "export SPARKIFY_REDSHIFT_URI='$uri'"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start-redshift: the emulator exited; its log:" >&2
    cat "$log" >&2
    rm -f "$log" "$state"
    exit 1
  fi
  sleep 0.2
done
echo "start-redshift: the emulator did not answer on 127.0.0.1:$port within 30 s" >&2
kill "$pid" 2>/dev/null || true
rm -f "$log" "$state"
exit 1
