#!/usr/bin/env bash
# The lake job: sparkify against DuckDB doing the same job in SQL, and both
# against the floor (reading every input file once with cat).
#
# Prints wall time and peak memory (max RSS) of each and the ratios.
# Goals: sparkify >= 10x faster than DuckDB; sparkify within 3x of the floor;
# sparkify's peak memory < 2 GiB at 1M songs / 10M events.
#
#   bench/lake_vs_duckdb.sh [SONGS] [EVENTS]      (default 100000 1000000)
#   SKIP_DUCKDB=1 bench/lake_vs_duckdb.sh …        (sparkify and the floor only)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
songs=${1:-100000}
events=${2:-1000000}
sparkify=build/src/cli/sparkify
[[ -x $sparkify ]] || scripts/build.sh >/dev/null
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

measure() {  # prints "seconds max_rss_kb"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" \
    || { cat "$work/stderr.txt" >&2; return 1; }
  cat "$work/time.txt"
}

# Warm the page cache once, so that every contender reads from memory.
find "$data" -type f -print0 | xargs -0 cat >/dev/null
read -r floor_s _ < <(measure sh -c "find '$data' -type f -print0 | xargs -0 cat >/dev/null")
rm -rf "$out/lake-sparkify" "$out/lake-duckdb"
read -r tool_s tool_kb < <(measure $sparkify etl --song-data "$data/song_data" --log-data "$data/log_data" \
  --lake "$out/lake-sparkify" --rejects "$work/rejects.ndjson")

printf 'input: %s songs, %s events, %s files, %.0f MB\n' "$songs" "$events" "$files" "$(echo "$bytes/1000000" | bc -l)"
printf 'floor (cat every file):    %8.2f s\n' "$floor_s"
printf 'sparkify etl --lake:       %8.2f s   peak %6.0f MiB   (%.2fx the floor)\n' "$tool_s" "$(echo "$tool_kb/1024" | bc -l)" "$(echo "$tool_s/$floor_s" | bc -l)"
if [[ -z ${SKIP_DUCKDB:-} ]]; then
  if read -r duck_s duck_kb < <(measure node bench/duckdb_lake_job.mjs "$data/song_data" "$data/log_data" "$out/lake-duckdb"); then
    printf 'DuckDB (SQL, same job):    %8.2f s   peak %6.0f MiB\n' "$duck_s" "$(echo "$duck_kb/1024" | bc -l)"
    printf 'ratio DuckDB / sparkify:   %8.1fx   (goal >= 10x)\n' "$(echo "$duck_s/$tool_s" | bc -l)"
  else
    echo "DuckDB did not finish this size (see the error above)"
  fi
fi
rm -rf "$out/lake-sparkify" "$out/lake-duckdb"
[[ $out == /dev/shm/sparkify-lake-bench.* ]] && rm -rf "$out"
[[ -n ${SPARKIFY_BENCH_DIR:-} ]] || rm -rf "$work"
