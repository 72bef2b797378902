#!/usr/bin/env bash
# Sets up and runs every test: installs the Debian packages and npm test
# tools, builds, starts a private PostgreSQL, a local S3 server and the
# Redshift emulator on loopback, runs CTest (unit and integration), and stops
# the servers.
#   scripts/test.sh            all tests
#   scripts/test.sh -L unit    only the offline unit tests (CTest arguments pass through)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/install-deps.sh
scripts/install-test-tools.sh
# Tests and benchmarks on, whatever an earlier configure (scripts/demo.sh
# turns them off) left in build/.
scripts/build.sh -DSPARKIFY_BUILD_TESTS=ON -DSPARKIFY_BUILD_BENCH=ON

export SPARKIFY_PG_PORT=${SPARKIFY_PG_PORT:-54329}
export SPARKIFY_S3_PORT=${SPARKIFY_S3_PORT:-4568}
cleanup() {
  [[ -x scripts/stop-redshift.sh ]] && scripts/stop-redshift.sh || true
  scripts/stop-postgres.sh || true
  [[ -x scripts/stop-s3.sh ]] && scripts/stop-s3.sh || true
}
trap cleanup EXIT
# An emulator left by an earlier run fronts a cluster that is about to go.
[[ -x scripts/stop-redshift.sh ]] && scripts/stop-redshift.sh || true
scripts/stop-postgres.sh || true
eval "$(scripts/start-postgres.sh)"
if [[ -x scripts/start-s3.sh ]]; then
  eval "$(scripts/start-s3.sh)"
fi
# The Redshift emulator in front of both (SPARKIFY_REDSHIFT_URI).
if [[ -x scripts/start-redshift.sh ]]; then
  eval "$(scripts/start-redshift.sh)"
fi

# --no-tests=error: a run that finds no test fails instead of passing.
ctest --test-dir build --output-on-failure --timeout 900 -j 2 --no-tests=error "$@"
