#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan into
# build-fuzz/, then runs each for SECONDS (default 60) over a temporary copy
# of its seed corpus, tests/fuzz/corpus/<target>/: new inputs never land in
# the source tree. Fails when any target crashes, leaks, times out, runs out
# of memory or breaks one of its invariants, printing the input, which
# stays in build-fuzz/crashes/<target>/. Once the bug is fixed, keep that
# input as tests/fuzz/corpus/<target>/crash-<what>: the unit test
# fuzz_corpus.<target> replays it in every build.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS per target, default 60]" >&2; exit 2; }
targets=(event_reader song_reader config s3_xml)

scripts/install-deps.sh --with-fuzz
cmake -S "$root" -B "$root/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DSPARKIFY_FUZZ=ON -DSPARKIFY_BUILD_BENCH=OFF >/dev/null
cmake --build "$root/build-fuzz" -j "$(nproc)" --target "${targets[@]/%/_fuzz}"

work=$(mktemp -d "${TMPDIR:-/tmp}/sparkify-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Whatever a target or libFuzzer leaves in TMPDIR goes with the work folder.
export TMPDIR="$work"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=()
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  crashes="$root/build-fuzz/crashes/$target"
  log="$work/$target.log"
  rm -rf "$crashes"
  mkdir -p "$corpus" "$crashes"
  cp -R "tests/fuzz/corpus/$target/." "$corpus/"
  echo "fuzz: $target for ${seconds}s ($(ls "$corpus" | wc -l) seed inputs)"
  # -timeout: seconds one input may take; -rss_limit_mb: the whole process
  # (a 2-core CI machine has a few GB); -max_len: room for a score of event
  # lines, or one past the 2 KB a Reject keeps.
  if "build-fuzz/tests/fuzz/${target}_fuzz" "$corpus" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=8192 -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1; then
    grep -m 1 -E '^Done [0-9]+ runs' "$log" || tail -n 1 "$log"
  else
    failed+=("$target")
    # The report, without the progress lines of the inputs before it.
    grep -v -E '^#[0-9]+ +(NEW|REDUCE|RELOAD|pulse)' "$log" | tail -n 80
    input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    echo "fuzz: $target FAILED; input: ${input:-(none written; see the log above)}" >&2
    if [[ -n "$input" ]]; then
      echo "fuzz: reproduce with build-fuzz/tests/fuzz/${target}_fuzz $input" >&2
    fi
  fi
done

if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no failure"
