#!/usr/bin/env bash
# sparkify's PostgreSQL load against the same job done by the server alone
# ("PostgreSQL-native ELT", bench/pg_native_elt.sql: psql COPYs the raw
# JSON lines into jsonb columns of UNLOGGED tables, then SQL over them
# builds the five star tables of schema `native` by the contract, in one
# transaction).
#
# Generates SONGS songs / EVENTS events (default 100k / 1M) and, on one
# private PostgreSQL server, times `sparkify etl --target` at --threads 1
# and 2 (the star built in process, the default), at --threads 2 with
# --transform sql (built by the server's SQL from staging), and the native
# ELT. Prints the wall time of each, sparkify's user +
# sys CPU and peak memory (max RSS), and the ratios native / sparkify.
# Before printing, it checks that every run built the same five star tables
# (row counts and an order-independent checksum of the rows) and fails
# otherwise: a peer that computes something else is not a peer.
#
#   bench/pg_vs_native_elt.sh [SONGS] [EVENTS]     (default 100000 1000000)
#
# Env: SPARKIFY_BENCH_RUNS (default 1: each measured that many times, the
# medians printed), SPARKIFY_BENCH_ETL_FLAGS (more flags for every
# `sparkify etl`), SPARKIFY_BENCH_PG_PORT (default 54341).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
songs=${1:-100000}
events=${2:-1000000}
runs=${SPARKIFY_BENCH_RUNS:-1}
read -r -a etl_flags <<<"${SPARKIFY_BENCH_ETL_FLAGS:-}"
sparkify=build/src/cli/sparkify
[[ -x $sparkify ]] || scripts/build.sh >/dev/null
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: scripts/install-deps.sh --with-bench" >&2; exit 1; }
command -v psql >/dev/null || { echo "needs psql: scripts/install-deps.sh" >&2; exit 1; }

work=$(mktemp -d /tmp/sparkify-native-bench.XXXXXX)
# The input lives in memory (/dev/shm) when it is there, so that both sides
# read it from memory.
data_dir=$work
if [[ -d /dev/shm && -w /dev/shm ]]; then data_dir=$(mktemp -d /dev/shm/sparkify-native-bench.XXXXXX); fi
data="$data_dir/data"
export SPARKIFY_PG_PORT=${SPARKIFY_BENCH_PG_PORT:-54341}
trap 'scripts/stop-postgres.sh; rm -rf "$work" "$data_dir"' EXIT
eval "$(scripts/start-postgres.sh)"
uri=$SPARKIFY_TEST_PG
# Each timed step starts on a quiet server: no autovacuum of the previous
# load's tables and no checkpoint of its WAL running underneath it.
psql -qAt "$uri" -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
quiesce() { psql -q "$uri" -c CHECKPOINT; }

echo "generating $songs songs / $events events ..."
$sparkify generate --songs "$songs" --events "$events" --seed 3 --out "$data" >/dev/null
$sparkify create-tables --target "$uri" >/dev/null
bytes=$(du -sb "$data" | cut -f1)
files=$(find "$data" -type f | wc -l)
# Warm the page cache once, so that every contender reads from memory.
find "$data" -type f -print0 | xargs -0 cat >/dev/null

measure() {  # prints "wall_s user_s sys_s max_rss_kb"; the command's stdout and stderr in $work/out.txt
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1 \
    || { cat "$work/out.txt" >&2; return 1; }
  cat "$work/time.txt"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { awk -v c="$2" '{ print $c }' "$1" | median; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else printf "-" }'; }

# The star tables of a schema: per table its rows and the sum of a 64-bit
# hash of each row's text, which no row order changes. Both schemas' tables
# have the same columns and types, so equal rows print equal text.
tables="songplays users songs artists time"
digest() {
  local table
  for table in $tables; do
    psql -XqAt "$uri" -c "SELECT '$table', count(*), COALESCE(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0)
                          FROM $1.$table t"
  done
}
# The first digest is the reference; every later one must equal it.
check_same() {  # name, schema
  digest "$2" >"$work/digest-now.txt"
  if [[ ! -f $work/digest.txt ]]; then
    cp "$work/digest-now.txt" "$work/digest.txt"
    echo "$1" >"$work/digest-from.txt"
  elif ! cmp -s "$work/digest.txt" "$work/digest-now.txt"; then
    echo "FAILED: $1 built other star tables than $(cat "$work/digest-from.txt") (table|rows|row checksum):" >&2
    diff "$work/digest.txt" "$work/digest-now.txt" >&2 || true
    exit 1
  fi
}

etl() {  # threads, more flags
  local threads=$1
  shift
  measure $sparkify etl --target "$uri" --song-data "$data/song_data" --log-data "$data/log_data" \
    --threads "$threads" --rejects "$work/rejects.ndjson" -q "${etl_flags[@]}" "$@"
}
native() {
  SPARKIFY_NATIVE_SONG_DATA="$data/song_data" SPARKIFY_NATIVE_LOG_DATA="$data/log_data" \
    measure psql -X -q -At -v ON_ERROR_STOP=1 "$uri" -f bench/pg_native_elt.sql
}

configs=(t1 t2 sql)
declare -A label=([t1]="sparkify etl --threads 1" [t2]="sparkify etl --threads 2"
                  [sql]="sparkify etl --threads 2 --transform sql")

for ((run = 1; run <= runs; run++)); do
  for config in "${configs[@]}"; do
    quiesce
    case $config in
      t1) etl 1 >>"$work/$config.times" ;;
      t2) etl 2 >>"$work/$config.times" ;;
      sql) etl 2 --transform sql >>"$work/$config.times" ;;
    esac
    grep '^time' "$work/out.txt" >"$work/$config.phases" || true
    check_same "${label[$config]}" public
  done
  quiesce
  native >>"$work/native.times"
  tail -n 1 "$work/out.txt" >"$work/native.steps"
  check_same "native ELT" native
done

printf 'input: %s songs, %s events, %s files, %.0f MB of JSON; median of %s run(s)\n' \
  "$songs" "$events" "$files" "$(echo "$bytes / 1000000" | bc -l)" "$runs"
[[ ${#etl_flags[@]} -eq 0 ]] || echo "sparkify etl flags: ${etl_flags[*]}"
declare -A wall
for config in "${configs[@]}"; do
  wall[$config]=$(column "$work/$config.times" 1)
  user=$(column "$work/$config.times" 2)
  sys=$(column "$work/$config.times" 3)
  peak=$(column "$work/$config.times" 4)
  printf '%-42s %7.2f s wall  %6.2f s CPU (user %s + sys %s)  peak %.0f MiB\n' "${label[$config]}:" "${wall[$config]}" \
    "$(echo "$user $sys" | awk '{ print $1 + $2 }')" "$user" "$sys" "$(echo "$peak / 1024" | bc -l)"
  sed 's/^time */    /' "$work/$config.phases"
done
native_wall=$(column "$work/native.times" 1)
printf '%-42s %7.2f s wall  (%s; last run)\n' "native ELT (psql: COPY to jsonb, SQL):" "$native_wall" "$(cat "$work/native.steps")"
echo "same star tables in every run (rows; row checksums agree):" \
  "$(awk -F'|' '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }' "$work/digest.txt")"
printf 'ratio native/sparkify t1: %sx\n' "$(ratio "$native_wall" "${wall[t1]}")"
printf 'ratio native/sparkify t2: %sx\n' "$(ratio "$native_wall" "${wall[t2]}")"
printf 'ratio native/sparkify t2 --transform sql: %sx\n' "$(ratio "$native_wall" "${wall[sql]}")"
