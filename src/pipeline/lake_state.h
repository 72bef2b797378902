// What an incremental lake keeps beside its tables (docs/schema.md, "Daily
// loads"), in LAKE/_sparkify_state/, a folder that readers of the tables
// skip (its name starts with '_'):
//   files.parquet      the ledger of event files: each one loaded, its
//                      size and version (modification time or ETag), load
//                      id, time, and whether every event of it was merged
//                      (a backfill may leave out those outside its window)
//   song_files.parquet the ledger of song files, the same columns
//   song_listing.parquet  how many song files were listed and the digest
//                      of their listing (io/listing_digest.h) when the
//                      state was written: a day whose song files are
//                      listed the same reads neither their ledger nor
//                      writes it again
//   songs.parquet      every song record loaded, as staged
//   plays/year=Y/month=M/part-00000.parquet
//                      every play: its songplay_id and the event chosen for
//                      it, partitioned as songplays is, so that a day's
//                      load rewrites only the months it touches
//   play_months.parquet  one row per plays partition: its plays, start
//                      times, largest id, and the range of its sessions
//                      and times, so that a day reads only the months
//                      that may hold its keys
//   user_days.parquet  each user's latest event of each UTC day
//   totals.parquet     the NextSong events with a user loaded, one row per
//                      UTC day of their ts, for the check that songplays
//                      are no more than those (a backfill replaces its days')
//   _SUCCESS
// The folder is staged and committed with the tables, in the same
// transaction (lake/lake_transaction.h), so the state always describes the
// tables beside it. A full refresh commits it empty.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "lake/parquet/reader.h"
#include "lake/parquet/writer.h"
#include "model/records.h"
#include "transform/star_builder.h"

namespace sparkify::pipeline {

inline constexpr const char* kLakeStateFolder = "_sparkify_state";

// One source file in the ledger.
struct LedgerEntry {
  std::string source;
  int64_t size = 0;
  std::string version;
  std::string load_id;
  std::string loaded_at;  // UTC, "YYYY-MM-DD HH:MM:SS"
  bool whole = true;      // every event of it was merged
};

// Which ledger: the source files of one kind are recorded apart, so that
// a day whose song files are as they were leaves theirs as it is.
enum class LedgerOf { kEventFiles, kSongFiles };

// The song files as listed when the state was written.
struct SongListing {
  int64_t files = 0;
  std::string digest;  // io::listing_digest
};

// The NextSong events with a user loaded on one UTC day of their ts (no
// day: events without a ts, or a state written before days were kept).
struct NextSongDay {
  std::optional<int64_t> day;
  int64_t events = 0;
};

// What one partition folder of plays/ holds.
struct PlayMonth {
  std::string partition;  // "year=2018/month=11", …
  int64_t plays = 0;
  int64_t start_times = 0;  // distinct ts: the month's rows of the time table
  int64_t largest_songplay_id = 0;
  std::optional<int32_t> first_session;  // the smallest and largest session_id
  std::optional<int32_t> last_session;
  bool null_sessions = false;  // some play has no session_id
  std::optional<int64_t> first_ts;
  std::optional<int64_t> last_ts;
};

// A kept play's key, and the partition folder (below plays/) it lies in.
struct KeptPlayKey {
  int32_t user_id = 0;
  std::optional<int32_t> session_id;
  std::optional<int32_t> item_in_session;
  uint32_t partition = 0;  // index into KeptPlayKeys::partitions
};

struct KeptPlayKeys {
  std::vector<std::string> partitions;  // "year=2018/month=11", …
  std::vector<KeptPlayKey> keys;
};

// The kept song records' matching columns, decoded and nothing else.
class KeptSongKeys {
 public:
  explicit KeptSongKeys(lake::parquet::ParquetTable table) : table_(std::move(table)) {}
  size_t size() const { return table_.rows; }
  // Views into this object.
  model::SongKeys at(size_t row) const;
  // The rows of the songs and artists tables they make.
  size_t distinct_song_ids() const;
  size_t distinct_artist_ids() const;

 private:
  // song_id, title, artist_name, duration, artist_id, in that order.
  lake::parquet::ParquetTable table_;
};

// Reads and writes the state folder `dir` (LAKE/_sparkify_state, or its
// staged copy). Readers throw JobError naming the file when it is not what
// the writers write.
class LakeState {
 public:
  LakeState(io::FileSystem& fs, std::string dir);

  // Whether a committed state is there (its _SUCCESS) and holds a ledger.
  bool present();

  std::vector<LedgerEntry> read_ledger(LedgerOf which);
  // nullopt for a state written before it was kept.
  std::optional<SongListing> read_song_listing();
  std::vector<model::SongRecord> read_songs();
  KeptSongKeys read_song_keys();
  std::vector<transform::KeptUserDay> read_user_days();
  std::vector<NextSongDay> read_next_song_events();
  int64_t read_next_song_total();  // of every day
  // The kept plays' keys (only those columns are decoded), of the
  // partition folders `only` (every one when null).
  KeptPlayKeys read_play_keys(const std::set<std::string>* only, size_t concurrency);
  // What each plays partition holds; nullopt for a state written before
  // it was kept.
  std::optional<std::vector<PlayMonth>> read_play_months();
  // The kept plays of the partition folders `only` (every one when null).
  std::vector<transform::KeptPlay> read_plays(const std::set<std::string>* only, size_t concurrency);

  void write_ledger(LedgerOf which, const std::vector<LedgerEntry>& entries,
                    const lake::parquet::WriterOptions& options);
  void write_song_listing(const SongListing& listing, const lake::parquet::WriterOptions& options);
  // The song records and the song files' ledger of `other`, as they are
  // (linked on a local disk): they change together, when song files are
  // loaded.
  void copy_songs_from(const LakeState& other);
  void write_next_song_events(const std::vector<NextSongDay>& days, const lake::parquet::WriterOptions& options);
  void write_songs(const std::vector<model::SongRecord>& songs, const lake::parquet::WriterOptions& options);
  void write_user_days(const std::vector<transform::KeptUserDay>& days, const lake::parquet::WriterOptions& options);
  // The builder's plays, partitioned; returns what each partition written holds.
  std::vector<PlayMonth> write_plays(const transform::StarBuilder& star, const lake::parquet::WriterOptions& options);
  void write_play_months(const std::vector<PlayMonth>& months, const lake::parquet::WriterOptions& options);

  const std::string& dir() const { return dir_; }
  std::string plays_dir() const;

 private:
  io::FileSystem& fs_;
  std::string dir_;
};

// Copies (links, on a local disk) every Parquet file below `from_table` to
// the same place below `to_table`, except those in the partition folders
// `replaced`; returns how many. A missing `from_table` copies nothing.
uint64_t carry_over_partitions(io::FileSystem& fs, const std::string& from_table, const std::string& to_table,
                               const std::set<std::string>& replaced);

}  // namespace sparkify::pipeline
