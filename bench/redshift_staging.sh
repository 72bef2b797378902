#!/usr/bin/env bash
# Redshift's compacted staging against the S3 extract alone, in one run, on
# COUNT small song files (the real song_data layout, from `sparkify
# generate`) in the local S3 server:
#
#   extract  list + read_many of the files, every byte touched, nothing kept
#            (s3_extract_bench extract, as in bench/s3_extract.sh)
#   stage    what `sparkify etl` does with them for a redshift:// target:
#            list, read_many with each file parsed by the tool's song reader
#            on the reading thread (pipeline::extract_songs, batches of whole
#            files to one consumer), the records as JSON lines
#            (warehouse::append_json_rows) into gzip parts of
#            warehouse::StagingParts (staging_part_count for 2 slices),
#            parts uploaded to the same server and the manifest written
#            before the clock stops (s3_extract_bench stage)
#
# At --threads 1 and 2 (files read and parsed at once; the transfers keep
# S3_CONNECTIONS requests in flight either way) each tool runs
# SPARKIFY_BENCH_RUNS times, alternating, after one warm-up pass of each.
# Prints each run's line, then the medians: wall seconds, the process's
# user+sys CPU seconds, files/s, the S3 server's CPU seconds (when its pid is
# known), the CPU seconds the rest of the machine spent meanwhile (well above
# zero: another job shared the cores, and the walls are skewed), the ratio
# stage/extract for wall and CPU (the claim: wall ≤ 1.3×), and each tool's
# speed-up from 1 to 2 threads.
#
# With the local server, s3rver (Node.js, its JavaScript on one thread) is
# the bottleneck: it spends about a CPU second per thousand GETs, so both
# tools wait on it
# and the ratio shows what staging adds on the client (parse, JSON lines,
# gzip, the parts' upload) while sharing the machine with the server.
#
#   bench/redshift_staging.sh [COUNT]      default: 100000
#
# Env:
#   BUILD_DIR                  build folder holding bench/s3_extract_bench
#                              and src/cli/sparkify (default: build)
#   SPARKIFY_TEST_S3_ENDPOINT  the server; started with scripts/start-s3.sh
#                              (SPARKIFY_S3_PORT picks its port) and stopped
#                              afterwards when unset
#   SPARKIFY_BENCH_RUNS        timed runs of each tool per thread count
#                              (default 3)
#   S3_CONNECTIONS             S3FileSystem's max_connections (default 64)
# The files stay in the server's bucket sparkify-bench between runs (under
# redshift_song_data_COUNT/); the parts are removed after each run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
bench="$build/bench/s3_extract_bench"
sparkify="$build/src/cli/sparkify"
for binary in "$bench" "$sparkify"; do
  [[ -x "$binary" ]] || {
    echo "redshift_staging: $binary is missing: cmake --build $build --target s3_extract_bench sparkify" >&2
    exit 1
  }
done
count=${1:-100000}
runs=${SPARKIFY_BENCH_RUNS:-3}
connections=${S3_CONNECTIONS:-64}

started=
if [[ -z "${SPARKIFY_TEST_S3_ENDPOINT:-}" ]]; then
  eval "$("$root/scripts/start-s3.sh")"
  started=1
fi
endpoint=$SPARKIFY_TEST_S3_ENDPOINT
work=$(mktemp -d /tmp/sparkify-redshift-bench.XXXXXX)
cleanup() {
  rm -rf "$work"
  if [[ -n "$started" ]]; then "$root/scripts/stop-s3.sh"; fi
}
trap cleanup EXIT

export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3
export AWS_SHARED_CREDENTIALS_FILE="$work/credentials" AWS_CONFIG_FILE="$work/config"
: >"$AWS_SHARED_CREDENTIALS_FILE"
: >"$AWS_CONFIG_FILE"

bucket=sparkify-bench
prefix="redshift_song_data_$count"
source="s3://$bucket/$prefix"
field() { sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p" <<<"$2"; }

# The server's CPU seconds so far, when start-s3.sh's state names its pid.
port=${endpoint##*:}
port=${port%%/*}
server_pid=
state="${TMPDIR:-/tmp}/sparkify-s3-$port.state"
[[ -f "$state" ]] && server_pid=$(cut -d' ' -f1 "$state")
server_cpu() {
  if [[ -n "$server_pid" && -r "/proc/$server_pid/stat" ]]; then
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$server_pid/stat"
  else
    echo 0
  fi
}

# CPU seconds the whole machine has been busy so far: what neither the tool
# nor the server used in a run ran beside it (another job skews the run).
machine_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / hz; exit }' /proc/stat
}

# Upload once; later runs on the same server reuse the objects.
have=$("$bench" extract --endpoint "$endpoint" "$source" 2>/dev/null || true)
if [[ -z "$have" || "$(field files "$have")" != "$count" ]]; then
  echo "redshift_staging: generating and uploading $count song files to $source" >&2
  "$sparkify" generate --songs "$count" --events 10 --out "$work/data" >/dev/null
  "$bench" upload --endpoint "$endpoint" --bucket "$bucket" --prefix "$prefix" --from "$work/data/song_data" >&2
  rm -rf "$work/data"
fi

# One warm-up pass of each, so that no timed run pays for a cold page cache
# (s3rver keeps every object as files of its own) or cold connections.
"$bench" extract --endpoint "$endpoint" --connections "$connections" --threads 2 "$source" >/dev/null
"$bench" stage --endpoint "$endpoint" --connections "$connections" --threads 2 "$source" >/dev/null

# run TOOL THREADS: one timed run; appends "threads tool wall cpu
# server_cpu other_cpu" to $work/runs (other_cpu: what the machine spent
# beside the tool and the server) and checks the number of files.
run() {
  local tool=$1 threads=$2 server_before server_after busy_before busy_after line
  server_before=$(server_cpu)
  busy_before=$(machine_cpu)
  line=$("$bench" "$tool" --endpoint "$endpoint" --connections "$connections" --threads "$threads" "$source")
  busy_after=$(machine_cpu)
  server_after=$(server_cpu)
  if [[ "$(field files "$line")" != "$count" ]]; then
    echo "redshift_staging: $tool saw $(field files "$line") files, not $count" >&2
    exit 1
  fi
  awk -v t="$threads" -v tool="$tool" -v wall="$(field total_s "$line")" -v user="$(field user_s "$line")" \
    -v sys="$(field sys_s "$line")" -v sb="$server_before" -v sa="$server_after" -v bb="$busy_before" \
    -v ba="$busy_after" -v line="$line" 'BEGIN {
      server = sa - sb; other = (ba - bb) - (user + sys) - server
      if (other < 0) other = 0
      printf "  %s --threads %s: %s server_cpu_s=%.2f other_cpu_s=%.2f\n", tool, t, line, server, other > "/dev/stderr"
      printf "%s %s %.3f %.3f %.2f %.2f\n", t, tool, wall, user + sys, server, other
    }' >>"$work/runs"
}

: >"$work/runs"
for threads in 1 2; do
  for _ in $(seq 1 "$runs"); do
    run extract "$threads"
    run stage "$threads"
  done
done

# Medians per (threads, tool), then the table.
awk -v n="$count" -v runs="$runs" '
  function median(list,   values, k, i, j, v) {
    k = split(list, values, " ")
    for (i = 2; i <= k; i++) {
      v = values[i] + 0
      for (j = i - 1; j >= 1 && values[j] + 0 > v; j--) values[j + 1] = values[j]
      values[j + 1] = v
    }
    return k % 2 ? values[(k + 1) / 2] : (values[k / 2] + values[k / 2 + 1]) / 2
  }
  { walls[$1, $2] = walls[$1, $2] " " $3; cpus[$1, $2] = cpus[$1, $2] " " $4; servers[$1, $2] = servers[$1, $2] " " $5
    others[$1, $2] = others[$1, $2] " " $6 }
  END {
    printf "%d files, median of %d runs each\n", n, runs
    printf "%-8s %-8s %8s %11s %8s %11s %10s   %s\n", "threads", "tool", "wall s", "user+sys s", "files/s", "server CPU",
      "other CPU", "stage/extract"
    for (t = 1; t <= 2; t++) {
      for (i = 0; i < 2; i++) {
        tool = i ? "stage" : "extract"
        wall[t, tool] = median(walls[t, tool]); cpu[t, tool] = median(cpus[t, tool])
        printf "%-8d %-8s %8.2f %11.2f %8.0f %11.2f %10.2f", t, tool, wall[t, tool], cpu[t, tool], n / wall[t, tool],
          median(servers[t, tool]), median(others[t, tool])
        if (tool == "stage") {
          printf "   wall %.2fx, CPU %.2fx", wall[t, "stage"] / wall[t, "extract"], cpu[t, "stage"] / cpu[t, "extract"]
        }
        printf "\n"
      }
    }
    printf "speed-up from 1 to 2 threads: extract %.2fx, stage %.2fx (wall)\n", wall[1, "extract"] / wall[2, "extract"],
      wall[1, "stage"] / wall[2, "stage"]
    printf "claim: stage wall <= 1.3x extract wall\n"
  }' "$work/runs"
