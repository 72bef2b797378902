#!/usr/bin/env bash
# Stops the emulator that start-redshift.sh started on SPARKIFY_REDSHIFT_PORT
# (default 54399) and removes its log.
set -euo pipefail
port=${SPARKIFY_REDSHIFT_PORT:-54399}
state="${TMPDIR:-/tmp}/sparkify-redshift-$port.state"
[[ -f "$state" ]] || exit 0
read -r pid log <"$state"
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
fi
[[ "$log" == /tmp/sparkify-redshift.* ]] && rm -f "$log"
rm -f "$state"
