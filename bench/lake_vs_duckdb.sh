#!/usr/bin/env bash
# The lake job: sparkify against DuckDB doing the same job in SQL, and both
# against the read floor (build/bench/read_floor: list, read and
# simdjson-parse every input file on 2 threads, nothing else) and the cat
# floor (reading every file once).
#
# Prints wall time, user + sys CPU and peak memory (max RSS) of each, the
# ratios, and sparkify's phases at --threads 1 and 2 with their speedup.
# Goals: sparkify >= 10x faster than DuckDB; whole run >= 1.7x faster with
# 2 threads than with 1, each phase >= 1.5x; sparkify's CPU <= 3x the read
# floor's; peak memory <= 1 GiB at 1M songs / 10M events.
#
#   bench/lake_vs_duckdb.sh [SONGS] [EVENTS]      (default 100000 1000000)
#   SKIP_DUCKDB=1 bench/lake_vs_duckdb.sh …        (sparkify and the floor only)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
songs=${1:-100000}
events=${2:-1000000}
sparkify=build/src/cli/sparkify
[[ -x $sparkify && -x build/bench/read_floor ]] || scripts/build.sh >/dev/null
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: scripts/install-deps.sh --with-bench" >&2; exit 1; }

work=${SPARKIFY_BENCH_DIR:-$(mktemp -d /tmp/sparkify-lake-bench.XXXXXX)}
data="$work/data-$songs-$events"
# The lakes are written to memory (/dev/shm) when it is there: on ext4, a
# folder tree made where hundreds of thousands of files were just deleted
# is several times slower to create (the inode allocator skips recently
# freed inodes), which would measure the previous run, not this one.
# SPARKIFY_BENCH_OUT=DIR picks another place.
out=${SPARKIFY_BENCH_OUT:-}
if [[ -z $out && -d /dev/shm && -w /dev/shm ]]; then out=$(mktemp -d /dev/shm/sparkify-lake-bench.XXXXXX); fi
out=${out:-$work}
if [[ ! -d $data ]]; then
  echo "generating $songs songs / $events events into $data ..."
  $sparkify generate --songs "$songs" --events "$events" --seed 3 --out "$data" >/dev/null
fi
bytes=$(du -sb "$data" | cut -f1)
files=$(find "$data" -type f | wc -l)

measure() {  # prints "wall_s max_rss_kb user_s sys_s"; the command's stdout and stderr in $work/out.txt
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1 \
    || { cat "$work/out.txt" >&2; return 1; }
  cat "$work/time.txt"
}
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else printf "-" }'; }
# The seconds of one phase in a run's "time" line ("list 0.57s, songs …").
phase() { grep '^time' "$1" | tr ',' '\n' | sed -n "s/^ *\(time *\)\{0,1\}$2 \([0-9.]*\)s$/\2/p" | head -1; }

# Warm the page cache once, so that every contender reads from memory.
find "$data" -type f -print0 | xargs -0 cat >/dev/null
read -r floor_s _ < <(measure sh -c "find '$data' -type f -print0 | xargs -0 cat >/dev/null")
# The read floor: list, read and simdjson-parse every file on 2 threads.
build/bench/read_floor --threads 2 "$data/song_data" "$data/log_data" >"$work/floor.txt"
parse_floor() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$work/floor.txt"; }
floor2_s=$(parse_floor wall_s)
floor2_cpu=$(echo "$(parse_floor user_s) $(parse_floor sys_s)" | awk '{printf "%.2f", $1 + $2}')

printf 'input: %s songs, %s events, %s files, %.0f MB\n' "$songs" "$events" "$files" "$(echo "$bytes/1000000" | bc -l)"
printf 'floor (cat every file):             %6.2f s wall\n' "$floor_s"
printf 'read floor (list+read+parse, 2 thr): %6.2f s wall  %6.2f s CPU\n' "$floor2_s" "$floor2_cpu"

phases="list songs events lake_build lake_write match_figures lake_commit"
declare -A wall cpu peak
for threads in 1 2; do
  rm -rf "$out/lake-sparkify"
  read -r wall[$threads] kb user sys < <(measure $sparkify etl --threads "$threads" --song-data "$data/song_data" \
    --log-data "$data/log_data" --lake "$out/lake-sparkify" --rejects "$work/rejects.ndjson")
  cpu[$threads]=$(echo "$user $sys" | awk '{printf "%.2f", $1 + $2}')
  peak[$threads]=$(echo "$kb" | awk '{printf "%.0f", $1 / 1024}')
  cp "$work/out.txt" "$work/run-$threads.txt"
  printf 'sparkify etl --lake --threads %s:   %6.2f s wall  %6.2f s CPU (user %s + sys %s)  peak %s MiB  CPU %sx the read floor'"'"'s\n' \
    "$threads" "${wall[$threads]}" "${cpu[$threads]}" "$user" "$sys" "${peak[$threads]}" "$(ratio "${cpu[$threads]}" "$floor2_cpu")"
done
printf 'speedup --threads 2 over 1:         %sx (goal >= 1.7x)\n' "$(ratio "${wall[1]}" "${wall[2]}")"
printf '  %-14s %8s %8s %8s\n' phase "1 thread" "2" speedup
for name in $phases; do
  label=${name//_/ }
  one=$(phase "$work/run-1.txt" "$label")
  two=$(phase "$work/run-2.txt" "$label")
  [[ -n $one && -n $two ]] || continue
  printf '  %-14s %7ss %7ss %7sx\n' "$label" "$one" "$two" "$(ratio "$one" "$two")"
done
rm -rf "$out/lake-sparkify"
if [[ -z ${SKIP_DUCKDB:-} ]]; then
  if read -r duck_s duck_kb duck_user duck_sys < <(measure node bench/duckdb_lake_job.mjs "$data/song_data" "$data/log_data" "$out/lake-duckdb"); then
    duck_cpu=$(echo "$duck_user $duck_sys" | awk '{printf "%.2f", $1 + $2}')
    printf 'DuckDB (SQL, same job):             %6.2f s wall  %6.2f s CPU  peak %.0f MiB\n' "$duck_s" "$duck_cpu" "$(echo "$duck_kb/1024" | bc -l)"
    printf 'ratio DuckDB / sparkify --threads 2: %sx   (goal >= 10x)\n' "$(ratio "$duck_s" "${wall[2]}")"
  else
    echo "DuckDB did not finish this size (see the error above)"
  fi
fi
rm -rf "$out/lake-sparkify" "$out/lake-duckdb"
[[ $out == /dev/shm/sparkify-lake-bench.* ]] && rm -rf "$out"
[[ -n ${SPARKIFY_BENCH_DIR:-} ]] || rm -rf "$work"
