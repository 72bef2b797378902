#!/usr/bin/env bash
# Extract of many small JSON files from S3, timed in one run against the
# AWS CLI: sparkify's S3FileSystem (list + read_many, bytes counted in
# memory) against `aws s3 cp --recursive` of the same prefix (to a temporary
# folder), both from the local S3 server. Prints files/s, MB/s and the ratio.
#
#   bench/s3_extract.sh [COUNT ...]       default: 15000 100000
#
# Env:
#   BUILD_DIR                  build folder holding bench/s3_extract_bench
#                              (default: build; cmake --build BUILD_DIR
#                              --target s3_extract_bench)
#   SPARKIFY_TEST_S3_ENDPOINT  the server; started with scripts/start-s3.sh
#                              (and stopped afterwards) when unset
#   SPARKIFY_BENCH_SOURCE      a folder of *.json files to upload instead of
#                              generated ones (COUNT is then ignored)
#   AWS_CLI_CONCURRENCY        the CLI's s3.max_concurrent_requests
#                              (default 10, the CLI's own default)
#   S3_CONNECTIONS             S3FileSystem's max_connections (default 64)
# The files stay in the server's bucket sparkify-bench between runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
bench="$build/bench/s3_extract_bench"
[[ -x "$bench" ]] || { echo "s3_extract: $bench is missing: cmake --build $build --target s3_extract_bench" >&2; exit 1; }
command -v aws >/dev/null || { echo "s3_extract: the AWS CLI is missing (scripts/install-deps.sh --with-bench)" >&2; exit 1; }
counts=("$@")
((${#counts[@]})) || counts=(15000 100000)

started=
if [[ -z "${SPARKIFY_TEST_S3_ENDPOINT:-}" ]]; then
  eval "$("$root/scripts/start-s3.sh")"
  started=1
fi
endpoint=$SPARKIFY_TEST_S3_ENDPOINT
work=$(mktemp -d /tmp/sparkify-s3-bench.XXXXXX)
cleanup() {
  rm -rf "$work"
  if [[ -n "$started" ]]; then "$root/scripts/stop-s3.sh"; fi
}
trap cleanup EXIT

# Both sides read the same credentials and nothing from ~/.aws.
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3
export AWS_SHARED_CREDENTIALS_FILE="$work/credentials" AWS_CONFIG_FILE="$work/config"
printf '[default]\ns3 =\n  max_concurrent_requests = %s\n' "${AWS_CLI_CONCURRENCY:-10}" >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"

bucket=sparkify-bench
field() { sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p" <<<"$2"; }

printf '%-8s %-20s %10s %10s %9s %8s\n' files tool seconds files/s MB/s ratio
for count in "${counts[@]}"; do
  if [[ -n "${SPARKIFY_BENCH_SOURCE:-}" ]]; then
    prefix="source-$(basename "$SPARKIFY_BENCH_SOURCE")"
    upload_args=(--from "$SPARKIFY_BENCH_SOURCE")
  else
    prefix="song_data_$count"
    upload_args=(--count "$count")
  fi
  # Upload once; later runs reuse the objects.
  have=$("$bench" extract --endpoint "$endpoint" "s3://$bucket/$prefix" 2>/dev/null || true)
  if [[ -z "$have" ]] || { [[ -z "${SPARKIFY_BENCH_SOURCE:-}" ]] && [[ "$(field files "$have")" != "$count" ]]; }; then
    "$bench" upload --endpoint "$endpoint" --bucket "$bucket" --prefix "$prefix" "${upload_args[@]}" >/dev/null
  fi
  # One warm-up pass each, so that neither side pays for a cold page cache.
  "$bench" extract --endpoint "$endpoint" --connections "${S3_CONNECTIONS:-64}" "s3://$bucket/$prefix" >/dev/null

  ours=$("$bench" extract --endpoint "$endpoint" --connections "${S3_CONNECTIONS:-64}" "s3://$bucket/$prefix")
  files=$(field files "$ours")
  bytes=$(field bytes "$ours")
  ours_s=$(field total_s "$ours")

  rm -rf "$work/cli"
  start=$(date +%s.%N)
  aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "s3://$bucket/$prefix" "$work/cli"
  end=$(date +%s.%N)
  cli_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  cli_files=$(find "$work/cli" -type f | wc -l)
  cli_bytes=$(find "$work/cli" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  rm -rf "$work/cli"
  if [[ "$cli_files" != "$files" || "$cli_bytes" != "$bytes" ]]; then
    echo "s3_extract: the two sides disagree: $files files / $bytes bytes against $cli_files / $cli_bytes" >&2
    exit 1
  fi

  awk -v n="$files" -v b="$bytes" -v ours="$ours_s" -v cli="$cli_s" -v list="$(field list_s "$ours")" 'BEGIN {
    printf "%-8d %-20s %10.2f %10.0f %9.2f %8s\n", n, "sparkify S3FileSystem", ours, n / ours, b / ours / 1e6, ""
    printf "%-8d %-20s %10.2f %10.0f %9.2f %8s\n", n, "aws s3 cp", cli, n / cli, b / cli / 1e6, ""
    printf "%-8d %-20s %10s %10s %9s %7.1fx   (listing: %.2f s of ours)\n", n, "ratio", "", "", "", cli / ours, list
  }'
done
