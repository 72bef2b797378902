#!/usr/bin/env bash
# The main job on the embedded default, from nothing: installs what is
# needed, builds, generates a day-to-day-sized input, and builds the star
# schema as a Parquet lake in ./lake with no server at all.
#   scripts/demo.sh [SONGS] [EVENTS]      (default 10000 songs, 100000 events)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
songs=${1:-10000}
events=${2:-100000}

scripts/install-deps.sh
scripts/build.sh -DSPARKIFY_BUILD_TESTS=OFF -DSPARKIFY_BUILD_BENCH=OFF

rm -rf demo-data
build/src/cli/sparkify generate --songs "$songs" --events "$events" --seed 1 --out demo-data
build/src/cli/sparkify etl --song-data demo-data/song_data --log-data demo-data/log_data --lake lake

cat <<MSG

The star schema is in $root/lake (hive-partitioned Parquet):
  lake/songplays/year=*/month=*/   lake/time/year=*/month=*/
  lake/songs/year=*/artist_id=*/   lake/users/   lake/artists/
Query it with DuckDB, Spark or Athena, e.g. in DuckDB:
  SELECT level, COUNT(*) FROM read_parquet('lake/songplays/**/*.parquet', hive_partitioning = true) GROUP BY level;
MSG
