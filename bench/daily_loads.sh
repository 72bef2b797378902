#!/usr/bin/env bash
# A day's incremental load against a full reload of the same month.
#
# Generates SONGS songs and EVENTS events over 31 days (default 100k songs,
# 1.03M events: ~33k a day), then, in the same run, for --threads 1 and 2:
#   full         `sparkify etl` of all 31 days (a full load)
#   incremental  `sparkify etl --incremental` of the first 30 days (not
#                timed), then the timed run that adds the 31st day
# and prints wall time, user+sys CPU and peak RSS of both, and the ratio
# full / incremental (goal: the day at least 10x faster than the reload).
# CPU is the sparkify process's (a server's own is not counted).
#
#   bench/daily_loads.sh postgres [SONGS] [EVENTS]    a private PostgreSQL cluster
#   bench/daily_loads.sh --lake DIR [SONGS] [EVENTS]  a Parquet lake under DIR
#
# A target that does not take --incremental yet is named and skipped.
# SPARKIFY_BENCH_PG_PORT picks the cluster's port (default 54341).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
usage() { echo "usage: bench/daily_loads.sh postgres|--lake DIR [SONGS] [EVENTS]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
kind=$1
shift
lake_dir=
if [[ $kind == --lake ]]; then
  [[ $# -ge 1 ]] || usage
  lake_dir=$1
  kind=lake
  shift
elif [[ $kind != postgres ]]; then
  usage
fi
songs=${1:-100000}
events=${2:-1030000}
days=31
sparkify=build/src/cli/sparkify
[[ -x $sparkify ]] || scripts/build.sh >/dev/null
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: scripts/install-deps.sh --with-bench" >&2; exit 1; }

work=$(mktemp -d /tmp/sparkify-daily-bench.XXXXXX)
cleanup() {
  if [[ $kind == postgres && -n ${SPARKIFY_TEST_PG:-} ]]; then scripts/stop-postgres.sh >/dev/null || true; fi
  if [[ $kind == lake ]]; then rm -rf "${lake_dir:?}"/daily_* "${lake_dir:?}/probe"; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ $kind == lake ]]; then
  # Whether the lake takes --incremental yet: a dry run says so, reading nothing.
  mkdir -p "$lake_dir" "$work/probe/song_data" "$work/probe/log_data"
  if ! $sparkify etl --song-data "$work/probe/song_data" --log-data "$work/probe/log_data" \
    --lake "$lake_dir/probe" --incremental --dry-run >/dev/null 2>"$work/probe.txt"; then
    echo "the lake does not take --incremental yet, so there is no daily load to time: skipped"
    sed 's/^/  /' "$work/probe.txt"
    exit 0
  fi
fi

echo "generating $songs songs / $events events over $days days ..."
$sparkify generate --songs "$songs" --events "$events" --days "$days" --seed 11 --out "$work/data" >/dev/null
# The days as they arrive: the songs and the first 30 days, hard links to
# the same files (same size and modification time), the 31st day later.
mapfile -t day_files < <(cd "$work/data/log_data" && find . -type f | sort)
last_day=${day_files[-1]#./}
mkdir -p "$work/arriving/log_data"
cp -al "$work/data/song_data" "$work/arriving/song_data"
for file in "${day_files[@]:0:${#day_files[@]}-1}"; do
  mkdir -p "$work/arriving/log_data/$(dirname "$file")"
  ln "$work/data/log_data/$file" "$work/arriving/log_data/$file"
done
# Warm the page cache, so that both sides read from memory.
find "$work/data" -type f -print0 | xargs -0 cat >/dev/null

case $kind in
  postgres)
    export SPARKIFY_PG_PORT=${SPARKIFY_BENCH_PG_PORT:-54341}
    eval "$(scripts/start-postgres.sh)"
    # No autovacuum or checkpoint of an earlier step under a timed one.
    psql -qAt "$SPARKIFY_TEST_PG" -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
    base=${SPARKIFY_TEST_PG%/*}
    fresh_target() {  # a new database; prints its URI
      psql -qAt "$SPARKIFY_TEST_PG" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" \
        -c "CREATE DATABASE $1" >/dev/null
      echo "$base/$1"
    }
    target_flags() { echo "--target $1"; }
    # What autovacuum does between two daily runs (the new rows vacuumed and
    # analysed), then a checkpoint, so that none of it runs under a timed step.
    settle() { psql -qAt "$1" -c "VACUUM ANALYZE" -c CHECKPOINT >/dev/null; }
    ;;
  lake)
    fresh_target() { rm -rf "${lake_dir:?}/$1"; echo "$lake_dir/$1"; }
    target_flags() { echo "--lake $1"; }
    settle() { sync; }
    ;;
esac

measure() {  # runs an etl, prints "wall user+sys max_rss_kb"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" $sparkify etl --rejects "$work/rejects.ndjson" "$@" \
    >"$work/out.txt" 2>"$work/err.txt" || { cat "$work/err.txt" "$work/out.txt" >&2; return 1; }
  read -r wall user sys rss <"$work/time.txt"
  echo "$wall $(echo "$user + $sys" | bc -l) $rss"
}

results=()
for threads in 1 2; do
  full=$(fresh_target "daily_full_$threads")
  settle "$full" 2>/dev/null || true
  # shellcheck disable=SC2046
  read -r full_wall full_cpu full_rss < <(measure $(target_flags "$full") --threads "$threads" \
    --song-data "$work/data/song_data" --log-data "$work/data/log_data")

  daily=$(fresh_target "daily_inc_$threads")
  rm -f "$work/arriving/log_data/$last_day"
  # shellcheck disable=SC2046
  measure $(target_flags "$daily") --threads "$threads" --incremental \
    --song-data "$work/arriving/song_data" --log-data "$work/arriving/log_data" >/dev/null
  settle "$daily"
  mkdir -p "$work/arriving/log_data/$(dirname "$last_day")"
  ln "$work/data/log_data/$last_day" "$work/arriving/log_data/$last_day"
  # shellcheck disable=SC2046
  read -r day_wall day_cpu day_rss < <(measure $(target_flags "$daily") --threads "$threads" --incremental \
    --song-data "$work/arriving/song_data" --log-data "$work/arriving/log_data")
  grep -m1 "^note" "$work/out.txt" | sed 's/^/  /' >&2 || true
  results+=("$threads $full_wall $full_cpu $full_rss $day_wall $day_cpu $day_rss")
done

day_events=$(wc -l <"$work/data/log_data/$last_day")
printf 'input: %s songs, %s events over %s days (the last day %s events); target: %s; %s cores\n' \
  "$songs" "$events" "$days" "$day_events" "$kind" "$(nproc)"
printf '%-7s | %-33s | %-33s | %s\n' threads "full load of 31 days" "incremental 31st day" "full / incremental"
printf '%-7s | %9s %11s %11s | %9s %11s %11s | %s\n' "" "wall s" "CPU s" "peak MiB" "wall s" "CPU s" "peak MiB" "wall (CPU)"
for line in "${results[@]}"; do
  read -r threads full_wall full_cpu full_rss day_wall day_cpu day_rss <<<"$line"
  printf '%-7s | %9.2f %11.2f %11.0f | %9.2f %11.2f %11.0f | %.1fx (%.1fx)\n' "$threads" \
    "$full_wall" "$full_cpu" "$(echo "$full_rss / 1024" | bc -l)" "$day_wall" "$day_cpu" \
    "$(echo "$day_rss / 1024" | bc -l)" "$(echo "$full_wall / $day_wall" | bc -l)" \
    "$(echo "$full_cpu / $day_cpu" | bc -l)"
done
echo "goal: the incremental day at least 10x faster (wall) than the full reload"
