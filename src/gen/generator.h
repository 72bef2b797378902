// The synthetic data generator: song and event files in the shape of the
// real data (same keys, key order, types, null patterns and escaping), so the
// demo, the tests and the benchmarks run on data of any size without a
// download. Deterministic: the same options give the same bytes, whatever
// the thread count.
#pragma once

#include <cstdint>
#include <string>

namespace sparkify::gen {

struct GenerateOptions {
  int64_t songs = 1000;
  int64_t events = 10000;
  uint64_t seed = 42;
  // Fraction of NextSong events whose song, artist and length equal a
  // generated song's title, artist_name and duration exactly.
  double match_rate = 0.3;
  std::string out_dir;  // gets song_data/ and log_data/
  int days = 30;        // one event file a day from 2018-11-01 UTC
  int threads = 0;      // 0: one per core
};

struct GenerateSummary {
  int64_t song_files = 0;
  int64_t event_files = 0;
  int64_t events = 0;
  int64_t next_song_events = 0;
  int64_t matched_events = 0;
  int64_t users = 0;
  uint64_t bytes = 0;
};

// Writes out_dir/song_data/A/B/C/TR….json (one object each) and
// out_dir/log_data/YYYY/MM/YYYY-MM-DD-events.json (NDJSON, sorted by ts).
// Throws UsageError on bad options, IoError when a file cannot be written.
GenerateSummary generate(const GenerateOptions& options);

}  // namespace sparkify::gen
