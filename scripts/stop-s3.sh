#!/usr/bin/env bash
# Stops the server that start-s3.sh started on SPARKIFY_S3_PORT (default
# 4568) and removes its data folder.
set -euo pipefail
port=${SPARKIFY_S3_PORT:-4568}
state="${TMPDIR:-/tmp}/sparkify-s3-$port.state"
[[ -f "$state" ]] || exit 0
read -r pid dir <"$state"
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
fi
[[ "$dir" == /tmp/sparkify-s3.* ]] && rm -rf "$dir"
rm -f "$state"
