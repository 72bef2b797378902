#!/usr/bin/env bash
# Two builds of sparkify on the same lake job, alternating: for a change
# that must not slow the job down (the peer is the build before it).
#
# Prints, per thread count, the median wall and CPU (user+sys) seconds of
# each binary and the ratio new/old. The lakes go to /dev/shm when it is
# there (see lake_vs_duckdb.sh: a disk that just freed many inodes measures
# itself); stderr goes to a file, so the new build prints its plain lines.
#
#   bench/etl_compare.sh OLD_BINARY [NEW_BINARY] [SONGS] [EVENTS]
#   (default NEW_BINARY build/src/cli/sparkify, 20000 songs, 200000 events;
#    SPARKIFY_BENCH_RUNS runs of each, default 5; SPARKIFY_BENCH_THREADS,
#    default "1 2")
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
old=${1:?usage: bench/etl_compare.sh OLD_BINARY [NEW_BINARY] [SONGS] [EVENTS]}
new=${2:-$root/build/src/cli/sparkify}
songs=${3:-20000}
events=${4:-200000}
runs=${SPARKIFY_BENCH_RUNS:-5}
threads_list=${SPARKIFY_BENCH_THREADS:-1 2}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: scripts/install-deps.sh --with-bench" >&2; exit 1; }

parent=/tmp
[[ -d /dev/shm && -w /dev/shm ]] && parent=/dev/shm
work=$(mktemp -d "$parent/sparkify-etl-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$new" generate --songs "$songs" --events "$events" --seed 3 --out "$work/data" >/dev/null
find "$work/data" -type f -print0 | xargs -0 cat >/dev/null

run() {  # binary threads -> "wall cpu"
  rm -rf "$work/lake"
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$1" etl --song-data "$work/data/song_data" \
    --log-data "$work/data/log_data" --lake "$work/lake" --rejects "$work/rejects.ndjson" --threads "$2" \
    >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; return 1; }
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time.txt"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf 'input: %s songs, %s events; %s runs of each, alternating; %s cores\n' "$songs" "$events" "$runs" "$(nproc)"
printf '%-8s %-5s %10s %10s\n' threads build "wall s" "cpu s"
for threads in $threads_list; do
  : >"$work/old.txt"
  : >"$work/new.txt"
  for ((idx = 0; idx < runs; ++idx)); do
    run "$old" "$threads" >>"$work/old.txt"
    run "$new" "$threads" >>"$work/new.txt"
  done
  old_wall=$(cut -d' ' -f1 "$work/old.txt" | median)
  old_cpu=$(cut -d' ' -f2 "$work/old.txt" | median)
  new_wall=$(cut -d' ' -f1 "$work/new.txt" | median)
  new_cpu=$(cut -d' ' -f2 "$work/new.txt" | median)
  printf '%-8s %-5s %10.2f %10.2f   (runs: %s)\n' "$threads" old "$old_wall" "$old_cpu" "$(cut -d' ' -f1 "$work/old.txt" | tr '\n' ' ')"
  printf '%-8s %-5s %10.2f %10.2f   (runs: %s)\n' "$threads" new "$new_wall" "$new_cpu" "$(cut -d' ' -f1 "$work/new.txt" | tr '\n' ' ')"
  printf '%-8s %-5s %9.3fx %9.3fx\n' "$threads" new/old "$(echo "$new_wall/$old_wall" | bc -l)" "$(echo "$new_cpu/$old_cpu" | bc -l)"
done
