#!/usr/bin/env bash
# Staging throughput into PostgreSQL against the server's own ingest limit.
#
# Generates SONGS songs / EVENTS events (default 100k / 1M), runs
# `sparkify etl --target` into a private PostgreSQL cluster, then, in the
# same run and on the same server, times the server's own
# `COPY staging_* FROM 'file'` of the very same rows pre-written as files.
# Prints the medians of SPARKIFY_BENCH_RUNS runs of each (default 3) and
# their ratio (goal: staging within 1.5x of the server's COPY).
#
#   bench/pg_staging.sh [SONGS] [EVENTS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
songs=${1:-100000}
events=${2:-1000000}
sparkify=build/src/cli/sparkify
[[ -x $sparkify ]] || scripts/build.sh >/dev/null

work=$(mktemp -d /tmp/sparkify-bench.XXXXXX)
export SPARKIFY_PG_PORT=${SPARKIFY_BENCH_PG_PORT:-54339}
trap 'scripts/stop-postgres.sh; rm -rf "$work"' EXIT
eval "$(scripts/start-postgres.sh)"
uri=$SPARKIFY_TEST_PG
# Each timed step starts on a quiet server: no autovacuum of the previous
# load's tables and no checkpoint of its WAL running underneath it.
psql -qAt "$uri" -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
quiesce() { psql -q "$uri" -c CHECKPOINT; }

echo "generating $songs songs / $events events ..."
$sparkify generate --songs "$songs" --events "$events" --seed 7 --out "$work/data" >/dev/null
$sparkify create-tables --target "$uri" >/dev/null

# A warm-up run, then RUNS measured ones of each side, alternating, so that
# both meet the same server state; the medians are compared (single runs
# vary by 15% on a small VM).
runs=${SPARKIFY_BENCH_RUNS:-3}
$sparkify etl --target "$uri" --song-data "$work/data/song_data" --log-data "$work/data/log_data" \
  --rejects "$work/rejects.ndjson" >/dev/null

# The same rows, written by the server as COPY text files it can read back.
chmod 777 "$work"
psql -q "$uri" -c "COPY staging_songs TO '$work/songs.tsv'" -c "COPY staging_events TO '$work/events.tsv'"
server_copy() {
  psql -qAt "$uri" <<SQL
BEGIN;
TRUNCATE staging_events, staging_songs;
SELECT extract(epoch FROM clock_timestamp());
COPY staging_songs FROM '$work/songs.tsv';
COPY staging_events FROM '$work/events.tsv';
SELECT extract(epoch FROM clock_timestamp());
ROLLBACK;
SQL
}
for ((run = 1; run <= runs; run++)); do
  quiesce
  $sparkify etl --target "$uri" --song-data "$work/data/song_data" --log-data "$work/data/log_data" \
    --rejects "$work/rejects.ndjson" --report "$work/report-$run.json" >/dev/null
  quiesce
  server_copy | tr '\n' ' ' >"$work/server-$run.txt"
done
python3 - "$work" "$runs" "$songs" "$events" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
reports = [json.load(open(f"{work}/report-{run}.json")) for run in range(1, runs + 1)]
stagings = [r["phases"]["songs"] + r["phases"]["events"] for r in reports]
servers = []
for run in range(1, runs + 1):
    start, end = [float(x) for x in open(f"{work}/server-{run}.txt").read().split()]
    servers.append(end - start)
report = reports[0]
staging, server = statistics.median(stagings), statistics.median(servers)
rows = report["songs_read"] + report["events_read"]
runs_of = lambda values: ", ".join(f"{v:.2f}" for v in values)
print(f"input: {sys.argv[3]} songs, {sys.argv[4]} events ({report['input_bytes']/1e6:.0f} MB of JSON); median of {runs} runs each")
print(f"sparkify staging (list+read+parse+COPY FROM STDIN): {staging:8.2f} s  ({rows/staging:,.0f} rows/s; runs {runs_of(stagings)})")
print(f"server COPY FROM file (same rows, pre-written):      {server:8.2f} s  ({rows/server:,.0f} rows/s; runs {runs_of(servers)})")
print(f"ratio staging / server COPY: {staging/server:.2f}x   (goal <= 1.5x)")
print(f"whole etl (first run): {report['total_seconds']:.2f} s; phases: " + ", ".join(f"{k} {v:.2f}s" for k, v in report["phases"].items()))
PY
