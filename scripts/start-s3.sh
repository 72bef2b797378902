#!/usr/bin/env bash
# Starts s3rver 3.7.1, a local S3-compatible server (npm, installed on first
# use into tests/tools/s3rver/node_modules), on 127.0.0.1 with a new
# temporary data folder, waits until it answers, and prints the endpoint:
#
#   eval "$(scripts/start-s3.sh)"     # exports SPARKIFY_TEST_S3_ENDPOINT
#
# Clients must use the access key id S3RVER; the server checks no SigV4
# signature, so any secret works. Env: SPARKIFY_S3_PORT (default 4568).
# Stop it with scripts/stop-s3.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${SPARKIFY_S3_PORT:-4568}
tools="$root/tests/tools/s3rver"
server="$tools/node_modules/s3rver/bin/s3rver.js"
state="${TMPDIR:-/tmp}/sparkify-s3-$port.state"

answers() {
  # One plain HTTP request over bash's /dev/tcp: true once the server replies.
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    IFS= read -r -t 2 reply <&3 || exit 1
    [[ "$reply" == HTTP/1.* ]]
  ) 2>/dev/null
}

if [[ -f "$state" ]] && kill -0 "$(cut -d' ' -f1 "$state")" 2>/dev/null && answers; then
  echo "export SPARKIFY_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
  exit 0
fi
command -v node >/dev/null || { echo "start-s3: node is not installed (run scripts/install-deps.sh)" >&2; exit 1; }
if [[ ! -f "$server" ]]; then
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error >/dev/null
fi

dir=$(mktemp -d /tmp/sparkify-s3.XXXXXX)
# s3rver makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3
# (Node 17+) only offers through its legacy provider: without it every
# listing past 1,000 keys fails with a 500.
NODE_OPTIONS=--openssl-legacy-provider setsid node "$server" --directory "$dir/data" --address 127.0.0.1 \
  --port "$port" --silent </dev/null >"$dir/server.log" 2>&1 &
pid=$!
echo "$pid $dir" >"$state"
for _ in $(seq 1 150); do
  if answers; then
    echo "export SPARKIFY_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start-s3: s3rver exited; its log:" >&2
    cat "$dir/server.log" >&2
    rm -rf "$dir" "$state"
    exit 1
  fi
  sleep 0.2
done
echo "start-s3: s3rver did not answer on 127.0.0.1:$port within 30 s" >&2
kill "$pid" 2>/dev/null || true
rm -rf "$dir" "$state"
exit 1
