#!/usr/bin/env bash
# Kills etl runs with SIGKILL at random moments and checks what a reader
# finds afterwards: into a lake, into PostgreSQL, and into both at once.
#
#   tests/faults/kill_runs.sh SPARKIFY_BINARY [KILLS]     (default 20 kills)
#
# Two inputs, A and B, alternate. The first kills stop runs exactly at the
# commit protocol's failpoints (SPARKIFY_FAILPOINTS, src/model/failpoint.h):
# after the lake's journal is written, after its first table is swapped in,
# and after the warehouse has committed; the rest fall at random moments.
# After each kill:
#   - every lake table is wholly A's or wholly B's, with its _SUCCESS; all of
#     them the same one unless the lake's commit journal is there (a commit
#     interrupted between tables, which the next run completes);
#   - PostgreSQL holds A's tables or B's;
#   - with both targets and no journal, the lake and PostgreSQL agree;
# and the next run (both targets) succeeds, leaves no staging and no journal,
# and both hold its input. PostgreSQL modes need SPARKIFY_TEST_PG; without it
# only the lake is tried. Exits 0 when every check held.
set -euo pipefail
sparkify=${1:?usage: kill_runs.sh SPARKIFY_BINARY [KILLS]}
kills=${2:-20}
work=$(mktemp -d /tmp/sparkify-kill.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$sparkify" generate --songs 400 --events 10000 --seed 11 --out "$work/A" >/dev/null
"$sparkify" generate --songs 400 --events 10000 --seed 12 --out "$work/B" >/dev/null

# A table's signature: its files (bookkeeping aside) with their sizes.
table_signature() {
  (cd "$1" && find . -type f ! -name .sparkify-load -printf '%P %s\n' | sort | md5sum | cut -d' ' -f1)
}
tables=(songplays users songs artists time)

declare -A reference
for input in A B; do
  "$sparkify" etl --song-data "$work/$input/song_data" --log-data "$work/$input/log_data" \
    --lake "$work/ref-$input" --rejects "$work/rejects.ndjson" >/dev/null 2>&1
  for table in "${tables[@]}"; do reference[$input.$table]=$(table_signature "$work/ref-$input/$table"); done
done

pg_uri=${SPARKIFY_TEST_PG:-}
database=""
if [[ -n "$pg_uri" ]]; then
  database="sparkify_kill_$$"
  psql -q "$pg_uri" -c "CREATE DATABASE $database" >/dev/null
  pg_uri="${pg_uri%/*}/$database"
  trap 'psql -q "${SPARKIFY_TEST_PG}" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT
fi
pg_signature() { psql -tA "$pg_uri" -c "SELECT (SELECT COUNT(*) FROM songplays) || '/' || (SELECT COUNT(*) FROM users) || '/' || (SELECT COUNT(*) FROM songs) || '/' || (SELECT COUNT(*) FROM time)"; }

lake="$work/lake"
run_args() {  # INPUT MODE
  local args=(etl --song-data "$work/$1/song_data" --log-data "$work/$1/log_data" --rejects "$work/rejects.ndjson")
  [[ "$2" == lake || "$2" == both ]] && args+=(--lake "$lake")
  [[ "$2" == pg || "$2" == both ]] && args+=(--target "$pg_uri")
  echo "${args[@]}"
}
full_mode=lake
modes=(lake)
if [[ -n "$pg_uri" ]]; then
  full_mode=both
  modes=(lake pg both)
  declare -A pg_reference
  for input in B A; do
    "$sparkify" etl --song-data "$work/$input/song_data" --log-data "$work/$input/log_data" --target "$pg_uri" \
      --rejects "$work/rejects.ndjson" >/dev/null 2>&1
    pg_reference[$input]=$(pg_signature)
  done
fi
# The starting state: A everywhere. How long a whole run of each mode takes
# sets the window its kills fall in.
# shellcheck disable=SC2046
"$sparkify" $(run_args A "$full_mode") >/dev/null 2>&1
declare -A run_ms
for mode in "${modes[@]}"; do
  start=$(date +%s%N)
  # shellcheck disable=SC2046
  "$sparkify" $(run_args A "$mode") >/dev/null 2>&1
  run_ms[$mode]=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "a whole $mode run takes ${run_ms[$mode]} ms"
done

# The kills at failpoints, as "mode:failpoint"; then random ones.
planned=(lake:lake-journal-written lake:lake-table-swapped)
if [[ -n "$pg_uri" ]]; then
  planned+=(both:lake-journal-written both:warehouse-committed both:lake-table-swapped)
fi

lake_version() {  # prints A, B, mixed or broken (with why on stderr)
  local version=""
  for table in "${tables[@]}"; do
    local dir="$lake/$table" this=""
    [[ -f "$dir/_SUCCESS" ]] || { echo "broken: $table has no _SUCCESS" >&2; echo broken; return; }
    local signature
    signature=$(table_signature "$dir")
    for input in A B; do [[ "$signature" == "${reference[$input.$table]}" ]] && this=$input; done
    [[ -n "$this" ]] || { echo "broken: $table is neither A's nor B's" >&2; echo broken; return; }
    if [[ -z "$version" ]]; then version=$this; elif [[ "$version" != "$this" ]]; then version=mixed; fi
  done
  echo "$version"
}

current=A
for ((kill_idx = 1; kill_idx <= kills; kill_idx++)); do
  failpoint=""
  if ((kill_idx <= ${#planned[@]})); then
    mode=${planned[$((kill_idx - 1))]%%:*}
    failpoint=${planned[$((kill_idx - 1))]#*:}
  else
    mode=${modes[$((kill_idx % ${#modes[@]}))]}
  fi
  next=$([[ $current == A ]] && echo B || echo A)
  if [[ -n "$failpoint" ]]; then
    # shellcheck disable=SC2046
    { SPARKIFY_FAILPOINTS=$failpoint "$sparkify" $(run_args "$next" "$mode") >/dev/null 2>&1; } 2>/dev/null \
      && outcome=finished || outcome="killed at $failpoint"
    delay_ms=-
  else
    # Half the kills fall anywhere in the run, half in its last third,
    # where the commits are.
    window=${run_ms[$mode]}
    if ((kill_idx % 2)); then
      delay_ms=$((RANDOM % (window + 1)))
    else
      delay_ms=$((window * 2 / 3 + RANDOM % (window / 3 + 1)))
    fi
    # shellcheck disable=SC2046
    "$sparkify" $(run_args "$next" "$mode") >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -9 "$pid" 2>/dev/null && outcome=killed || outcome=finished
    wait "$pid" 2>/dev/null || true
  fi

  journal=no
  [[ -f "$lake/_sparkify_commit" ]] && journal=yes
  version=$(lake_version)
  case "$version" in
    broken) fail "kill $kill_idx ($mode, ${delay_ms} ms): a lake table is neither old nor new" ;;
    mixed) [[ $journal == yes ]] || fail "kill $kill_idx ($mode): tables of two runs, and no journal to complete them" ;;
    "$current" | "$next") ;;
  esac
  pg_version=""
  if [[ -n "$pg_uri" ]]; then
    signature=$(pg_signature)
    for input in A B; do [[ "$signature" == "${pg_reference[$input]}" ]] && pg_version=$input; done
    [[ -n "$pg_version" ]] || fail "kill $kill_idx ($mode): PostgreSQL holds neither A nor B ($signature)"
    if [[ $mode == both && $journal == no && $version != "$pg_version" ]]; then
      fail "kill $kill_idx (both): the lake holds $version, PostgreSQL $pg_version, and no journal"
    fi
  fi
  if [[ -n "$failpoint" && $journal == no ]]; then
    fail "kill $kill_idx ($mode at $failpoint): no journal was left to complete the commit"
  fi
  if [[ $failpoint == warehouse-committed && $pg_version != "$next" ]]; then
    fail "kill $kill_idx: killed after the warehouse committed, but PostgreSQL does not hold $next"
  fi
  echo "kill $kill_idx: $mode, after ${delay_ms} ms ($outcome): lake $version, journal $journal${pg_version:+, PostgreSQL $pg_version}"

  # The next run completes or undoes what the killed one left, then loads.
  # shellcheck disable=SC2046
  if ! out=$("$sparkify" $(run_args "$next" "$full_mode") 2>&1); then
    fail "kill $kill_idx: the next run failed: $out"
  fi
  if [[ $journal == yes && "$out" != *"the interrupted commit"* ]]; then
    fail "kill $kill_idx: the next run did not say it settled the interrupted commit: $out"
  fi
  [[ -f "$lake/_sparkify_commit" ]] && fail "kill $kill_idx: the journal stayed after the next run"
  if compgen -G "$lake/.sparkify-staging-*" >/dev/null; then fail "kill $kill_idx: staging stayed after the next run"; fi
  [[ $(lake_version) == "$next" ]] || fail "kill $kill_idx: after the next run the lake does not hold $next"
  if [[ -n "$pg_uri" && $(pg_signature) != "${pg_reference[$next]}" ]]; then
    fail "kill $kill_idx: after the next run PostgreSQL does not hold $next"
  fi
  current=$next
done
echo "$kills kills, $failures failure(s)"
((failures == 0))
