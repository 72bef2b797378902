#include "pipeline/lake_state.h"

#include <iterator>
#include <map>
#include <mutex>
#include <unordered_set>

#include "lake/parquet/reader.h"
#include "lake/partitioned_writer.h"
#include "model/error.h"
#include "pipeline/lake_tables.h"
#include "pipeline/parquet_rows.h"

namespace sparkify::pipeline {
namespace {

using lake::parquet::ColumnData;
using lake::parquet::PhysicalType;
using lake::parquet::Writer;
using namespace parquet_rows;

constexpr const char* kLedgerFile = "files.parquet";  // the event files'
constexpr const char* kSongLedgerFile = "song_files.parquet";
constexpr const char* kSongListingFile = "song_listing.parquet";
constexpr const char* kSongsFile = "songs.parquet";
constexpr const char* kUserDaysFile = "user_days.parquet";
constexpr const char* kPlaysFolder = "plays";
constexpr const char* kTotalsFile = "totals.parquet";
constexpr const char* kPlayMonthsFile = "play_months.parquet";

std::optional<std::string> text_at(const ColumnData& column, size_t row) {
  if (column.is_null(row)) return std::nullopt;
  return std::string(column.bytes_at(row));
}
std::optional<int32_t> int32_at(const ColumnData& column, size_t row) {
  if (column.is_null(row)) return std::nullopt;
  return column.int32_at(row);
}
std::optional<int64_t> int64_at(const ColumnData& column, size_t row) {
  if (column.is_null(row)) return std::nullopt;
  return column.int64_at(row);
}
std::optional<double> double_at(const ColumnData& column, size_t row) {
  if (column.is_null(row)) return std::nullopt;
  return column.double_at(row);
}

// The columns of a state file, checked against the types its writer gives
// them: the file is ours, but it is read from a store others can write.
struct StateFile {
  lake::parquet::ParquetTable table;
  std::string path;

  const ColumnData& column(const char* name, PhysicalType type) const {
    const ColumnData* found = table.find(name);
    if (!found || found->descriptor().type != type) {
      throw JobError(path + ": the kept state lacks column " + std::string(name) + " of the type it is written with");
    }
    return *found;
  }
  const ColumnData& required(const char* name, PhysicalType type) const {
    const ColumnData& found = column(name, type);
    if (found.has_nulls()) throw JobError(path + ": column " + std::string(name) + " holds NULL, and it is a key");
    return found;
  }
};

StateFile read_state_file(io::FileSystem& fs, const std::string& path, const std::vector<std::string>& columns = {}) {
  lake::parquet::ReadOptions options;
  options.columns = columns;
  io::Bytes bytes = fs.read(path);
  return {lake::parquet::read_parquet(bytes.view(), path, options), path};
}

// Writes `rows` into the single file `path` with `write_row` per row.
template <typename Row, typename WriteRow>
void write_state_file(io::FileSystem& fs, const std::string& path, std::vector<Column> columns,
                      const lake::parquet::WriterOptions& options, const std::vector<Row>& rows, WriteRow write_row) {
  Writer writer(std::move(columns), options, fs.create_unpublished(path));
  for (const auto& row : rows) {
    write_row(writer, row);
    writer.end_row();
  }
  writer.close();
}

std::vector<Column> play_columns() {
  return {int64_column("songplay_id", false), int64_column("ts"),          int32_column("user_id", false),
          int32_column("session_id"),         int32_column("item_in_session"), text_column("level"),
          text_column("song"),                text_column("artist"),       double_column("length"),
          text_column("location"),            text_column("user_agent")};
}

// The partition folder of a file below `table_dir`: the path between them
// ("" for a file at the top).
std::string partition_folder_of(const std::string& table_dir, const std::string& path) {
  std::string relative = path.substr(table_dir.size() + 1);
  size_t slash = relative.rfind('/');
  return slash == std::string::npos ? std::string() : relative.substr(0, slash);
}

// Reads `files` (each with its partition index) on read_many's threads;
// `on_file` gets each file's columns there, under a lock.
template <typename OnFile>
void read_partition_files(io::FileSystem& fs, const std::vector<io::FileEntry>& files, size_t concurrency,
                          const std::vector<std::string>& columns, OnFile on_file) {
  std::mutex mutex;
  lake::parquet::ReadOptions options;
  options.columns = columns;
  fs.read_many(files, std::max<size_t>(1, concurrency), [&](size_t index, io::Bytes bytes) {
    StateFile file{lake::parquet::read_parquet(bytes.view(), files[index].path, options), files[index].path};
    std::lock_guard lock(mutex);
    on_file(index, file);
  });
}

}  // namespace

LakeState::LakeState(io::FileSystem& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}

std::string LakeState::plays_dir() const { return io::join_path(dir_, kPlaysFolder); }

bool LakeState::present() {
  return fs_.exists(io::join_path(dir_, "_SUCCESS")) && fs_.exists(io::join_path(dir_, kLedgerFile));
}

namespace {
const char* ledger_file(LedgerOf which) { return which == LedgerOf::kSongFiles ? kSongLedgerFile : kLedgerFile; }
}  // namespace

std::vector<LedgerEntry> LakeState::read_ledger(LedgerOf which) {
  StateFile file = read_state_file(fs_, io::join_path(dir_, ledger_file(which)));
  const auto& source = file.required("source", PhysicalType::kByteArray);
  const auto& size = file.required("size", PhysicalType::kInt64);
  const auto& version = file.column("version", PhysicalType::kByteArray);
  const auto& load_id = file.required("load_id", PhysicalType::kByteArray);
  const auto& loaded_at = file.required("loaded_at", PhysicalType::kByteArray);
  // A ledger written before backfills has no `whole`: every file was whole.
  const ColumnData* whole = file.table.find("whole") ? &file.required("whole", PhysicalType::kInt32) : nullptr;
  std::vector<LedgerEntry> entries(file.table.rows);
  for (size_t row = 0; row < entries.size(); ++row) {
    entries[row] = {std::string(source.bytes_at(row)), size.int64_at(row), text_at(version, row).value_or(""),
                    std::string(load_id.bytes_at(row)), std::string(loaded_at.bytes_at(row)),
                    !whole || whole->int32_at(row) != 0};
  }
  return entries;
}

void LakeState::write_ledger(LedgerOf which, const std::vector<LedgerEntry>& entries,
                             const lake::parquet::WriterOptions& options) {
  write_state_file(fs_, io::join_path(dir_, ledger_file(which)),
                   {text_column("source", false), int64_column("size", false), text_column("version"),
                    text_column("load_id", false), text_column("loaded_at", false), int32_column("whole", false)},
                   options, entries, [](Writer& writer, const LedgerEntry& entry) {
                     writer.write_string(entry.source);
                     writer.write_int64(entry.size);
                     writer.write_string(entry.version);
                     writer.write_string(entry.load_id);
                     writer.write_string(entry.loaded_at);
                     writer.write_int32(entry.whole ? 1 : 0);
                   });
}

std::optional<SongListing> LakeState::read_song_listing() {
  std::string path = io::join_path(dir_, kSongListingFile);
  if (!fs_.exists(path)) return std::nullopt;
  StateFile file = read_state_file(fs_, path);
  const auto& files = file.required("files", PhysicalType::kInt64);
  const auto& digest = file.required("digest", PhysicalType::kByteArray);
  if (file.table.rows != 1)
    throw JobError(path + ": the kept state holds " + std::to_string(file.table.rows) + " rows, not 1");
  return SongListing{files.int64_at(0), std::string(digest.bytes_at(0))};
}

void LakeState::write_song_listing(const SongListing& listing, const lake::parquet::WriterOptions& options) {
  write_state_file(fs_, io::join_path(dir_, kSongListingFile),
                   {int64_column("files", false), text_column("digest", false)}, options,
                   std::vector<SongListing>{listing}, [](Writer& writer, const SongListing& row) {
                     writer.write_int64(row.files);
                     writer.write_string(row.digest);
                   });
}

std::vector<NextSongDay> LakeState::read_next_song_events() {
  StateFile file = read_state_file(fs_, io::join_path(dir_, kTotalsFile));
  const auto& count = file.required("next_song_events", PhysicalType::kInt64);
  // A state written before days were kept holds one total, of no day.
  const ColumnData* day = file.table.find("day") ? &file.column("day", PhysicalType::kInt64) : nullptr;
  if (!day && file.table.rows != 1) {
    throw JobError(file.path + ": holds " + std::to_string(file.table.rows) + " rows, not 1");
  }
  std::vector<NextSongDay> days(file.table.rows);
  for (size_t row = 0; row < days.size(); ++row) {
    days[row] = {day ? int64_at(*day, row) : std::nullopt, count.int64_at(row)};
  }
  return days;
}

int64_t LakeState::read_next_song_total() {
  int64_t total = 0;
  for (const auto& day : read_next_song_events()) total += day.events;
  return total;
}

void LakeState::write_next_song_events(const std::vector<NextSongDay>& days,
                                       const lake::parquet::WriterOptions& options) {
  write_state_file(fs_, io::join_path(dir_, kTotalsFile),
                   {int64_column("day"), int64_column("next_song_events", false)}, options, days,
                   [](Writer& writer, const NextSongDay& day) {
                     put(writer, day.day);
                     writer.write_int64(day.events);
                   });
}

std::vector<model::SongRecord> LakeState::read_songs() {
  StateFile file = read_state_file(fs_, io::join_path(dir_, kSongsFile));
  const auto& num_songs = file.column("num_songs", PhysicalType::kInt32);
  const auto& artist_id = file.column("artist_id", PhysicalType::kByteArray);
  const auto& latitude = file.column("artist_latitude", PhysicalType::kDouble);
  const auto& longitude = file.column("artist_longitude", PhysicalType::kDouble);
  const auto& location = file.column("artist_location", PhysicalType::kByteArray);
  const auto& artist_name = file.column("artist_name", PhysicalType::kByteArray);
  const auto& song_id = file.column("song_id", PhysicalType::kByteArray);
  const auto& title = file.column("title", PhysicalType::kByteArray);
  const auto& duration = file.column("duration", PhysicalType::kDouble);
  const auto& year = file.column("year", PhysicalType::kInt32);
  std::vector<model::SongRecord> songs(file.table.rows);
  for (size_t row = 0; row < songs.size(); ++row) {
    songs[row] = {int32_at(num_songs, row), text_at(artist_id, row),   double_at(latitude, row),
                  double_at(longitude, row), text_at(location, row),   text_at(artist_name, row),
                  text_at(song_id, row),    text_at(title, row),       double_at(duration, row),
                  int32_at(year, row)};
  }
  return songs;
}

KeptSongKeys LakeState::read_song_keys() {
  StateFile file = read_state_file(fs_, io::join_path(dir_, kSongsFile),
                                   {"song_id", "title", "artist_name", "duration", "artist_id"});
  file.column("song_id", PhysicalType::kByteArray);
  file.column("title", PhysicalType::kByteArray);
  file.column("artist_name", PhysicalType::kByteArray);
  file.column("duration", PhysicalType::kDouble);
  file.column("artist_id", PhysicalType::kByteArray);
  return KeptSongKeys(std::move(file.table));
}

model::SongKeys KeptSongKeys::at(size_t row) const {
  const auto& columns = table_.columns;
  auto text = [row](const ColumnData& column) {
    return column.is_null(row) ? std::nullopt : std::optional<std::string_view>(column.bytes_at(row));
  };
  return {text(columns[0]), text(columns[1]), text(columns[2]), double_at(columns[3], row), text(columns[4])};
}

namespace {
size_t distinct_values(const ColumnData& column) {
  std::unordered_set<std::string_view> values;
  values.reserve(column.size());
  for (size_t row = 0; row < column.size(); ++row) {
    if (!column.is_null(row)) values.insert(column.bytes_at(row));
  }
  return values.size();
}
}  // namespace

size_t KeptSongKeys::distinct_song_ids() const { return distinct_values(table_.columns[0]); }
size_t KeptSongKeys::distinct_artist_ids() const { return distinct_values(table_.columns[4]); }

void LakeState::copy_songs_from(const LakeState& other) {
  for (const char* name : {kSongsFile, kSongLedgerFile}) {
    fs_.copy_file(io::join_path(other.dir_, name), io::join_path(dir_, name));
  }
}

void LakeState::write_songs(const std::vector<model::SongRecord>& songs, const lake::parquet::WriterOptions& options) {
  write_state_file(fs_, io::join_path(dir_, kSongsFile),
                   {int32_column("num_songs"), text_column("artist_id"), double_column("artist_latitude"),
                    double_column("artist_longitude"), text_column("artist_location"), text_column("artist_name"),
                    text_column("song_id"), text_column("title"), double_column("duration"), int32_column("year")},
                   options, songs, [](Writer& writer, const model::SongRecord& song) {
                     put(writer, song.num_songs);
                     put(writer, song.artist_id);
                     put(writer, song.artist_latitude);
                     put(writer, song.artist_longitude);
                     put(writer, song.artist_location);
                     put(writer, song.artist_name);
                     put(writer, song.song_id);
                     put(writer, song.title);
                     put(writer, song.duration);
                     put(writer, song.year);
                   });
}

std::vector<transform::KeptUserDay> LakeState::read_user_days() {
  StateFile file = read_state_file(fs_, io::join_path(dir_, kUserDaysFile));
  const auto& user_id = file.required("user_id", PhysicalType::kInt32);
  const auto& ts = file.column("ts", PhysicalType::kInt64);
  const auto& item = file.column("item_in_session", PhysicalType::kInt32);
  const auto& session = file.column("session_id", PhysicalType::kInt32);
  const auto& level = file.column("level", PhysicalType::kByteArray);
  const auto& first_name = file.column("first_name", PhysicalType::kByteArray);
  const auto& last_name = file.column("last_name", PhysicalType::kByteArray);
  const auto& gender = file.column("gender", PhysicalType::kByteArray);
  std::vector<transform::KeptUserDay> days(file.table.rows);
  for (size_t row = 0; row < days.size(); ++row) {
    days[row] = {user_id.int32_at(row),   int64_at(ts, row),         int32_at(item, row),
                 int32_at(session, row),  text_at(level, row),       text_at(first_name, row),
                 text_at(last_name, row), text_at(gender, row)};
  }
  return days;
}

void LakeState::write_user_days(const std::vector<transform::KeptUserDay>& days,
                                const lake::parquet::WriterOptions& options) {
  write_state_file(fs_, io::join_path(dir_, kUserDaysFile),
                   {int32_column("user_id", false), int64_column("ts"), int32_column("item_in_session"),
                    int32_column("session_id"), text_column("level"), text_column("first_name"),
                    text_column("last_name"), text_column("gender")},
                   options, days, [](Writer& writer, const transform::KeptUserDay& day) {
                     writer.write_int32(day.user_id);
                     put(writer, day.ts);
                     put(writer, day.item_in_session);
                     put(writer, day.session_id);
                     put(writer, day.level);
                     put(writer, day.first_name);
                     put(writer, day.last_name);
                     put(writer, day.gender);
                   });
}

KeptPlayKeys LakeState::read_play_keys(const std::set<std::string>* only, size_t concurrency) {
  KeptPlayKeys kept;
  std::string plays = plays_dir();
  if (!fs_.exists(plays)) return kept;
  std::vector<io::FileEntry> files;
  for (auto& file : fs_.list(plays, {".parquet"})) {
    if (!only || only->count(partition_folder_of(plays, file.path))) files.push_back(std::move(file));
  }
  std::map<std::string, uint32_t> partition_index;
  std::vector<uint32_t> partition_of_file;
  for (const auto& file : files) {
    auto [slot, inserted] =
        partition_index.try_emplace(partition_folder_of(plays, file.path), static_cast<uint32_t>(kept.partitions.size()));
    if (inserted) kept.partitions.push_back(slot->first);
    partition_of_file.push_back(slot->second);
  }
  std::vector<std::vector<KeptPlayKey>> per_file(files.size());
  read_partition_files(fs_, files, concurrency, {"user_id", "session_id", "item_in_session"},
                       [&](size_t index, const StateFile& file) {
                         const auto& user_id = file.required("user_id", PhysicalType::kInt32);
                         const auto& session = file.column("session_id", PhysicalType::kInt32);
                         const auto& item = file.column("item_in_session", PhysicalType::kInt32);
                         auto& keys = per_file[index];
                         keys.resize(file.table.rows);
                         for (size_t row = 0; row < keys.size(); ++row) {
                           keys[row] = {user_id.int32_at(row), int32_at(session, row), int32_at(item, row),
                                        partition_of_file[index]};
                         }
                       });
  for (auto& keys : per_file) kept.keys.insert(kept.keys.end(), keys.begin(), keys.end());
  return kept;
}

std::vector<transform::KeptPlay> LakeState::read_plays(const std::set<std::string>* only, size_t concurrency) {
  std::string plays = plays_dir();
  if (!fs_.exists(plays)) return {};
  std::vector<io::FileEntry> files;
  for (auto& file : fs_.list(plays, {".parquet"})) {
    if (!only || only->count(partition_folder_of(plays, file.path))) files.push_back(std::move(file));
  }
  std::vector<std::vector<transform::KeptPlay>> per_file(files.size());
  read_partition_files(fs_, files, concurrency, {}, [&](size_t index, const StateFile& file) {
    const auto& id = file.required("songplay_id", PhysicalType::kInt64);
    const auto& ts = file.column("ts", PhysicalType::kInt64);
    const auto& user_id = file.required("user_id", PhysicalType::kInt32);
    const auto& session = file.column("session_id", PhysicalType::kInt32);
    const auto& item = file.column("item_in_session", PhysicalType::kInt32);
    const auto& level = file.column("level", PhysicalType::kByteArray);
    const auto& song = file.column("song", PhysicalType::kByteArray);
    const auto& artist = file.column("artist", PhysicalType::kByteArray);
    const auto& length = file.column("length", PhysicalType::kDouble);
    const auto& location = file.column("location", PhysicalType::kByteArray);
    const auto& user_agent = file.column("user_agent", PhysicalType::kByteArray);
    auto& rows = per_file[index];
    rows.resize(file.table.rows);
    for (size_t row = 0; row < rows.size(); ++row) {
      rows[row] = {id.int64_at(row),       int64_at(ts, row),       user_id.int32_at(row), int32_at(session, row),
                   int32_at(item, row),    text_at(level, row),     text_at(song, row),    text_at(artist, row),
                   double_at(length, row), text_at(location, row),  text_at(user_agent, row)};
    }
  });
  std::vector<transform::KeptPlay> all;
  for (auto& rows : per_file) std::move(rows.begin(), rows.end(), std::back_inserter(all));
  return all;
}

std::vector<PlayMonth> LakeState::write_plays(const transform::StarBuilder& star,
                                              const lake::parquet::WriterOptions& options) {
  std::map<std::string, PlayMonth> written;
  lake::PartitionedWriter table(fs_, plays_dir(), play_columns(), options);
  // The builder's plays are in start_time order, so each month's come
  // together, and equal start times are next to each other.
  std::optional<int64_t> previous_ts;
  for (size_t idx = 0; idx < star.songplay_count(); ++idx) {
    transform::KeptPlay play = star.kept_play(idx);
    lake::PartitionValues partition = start_time_partition(play.ts);
    PlayMonth& month = written[lake::partition_path(partition)];
    ++month.plays;
    if (play.ts && (month.start_times == 0 || previous_ts != play.ts)) ++month.start_times;
    previous_ts = play.ts;
    month.largest_songplay_id = std::max(month.largest_songplay_id, play.songplay_id);
    if (play.session_id) {
      month.first_session = std::min(month.first_session.value_or(*play.session_id), *play.session_id);
      month.last_session = std::max(month.last_session.value_or(*play.session_id), *play.session_id);
    } else {
      month.null_sessions = true;
    }
    if (play.ts) {
      month.first_ts = std::min(month.first_ts.value_or(*play.ts), *play.ts);
      month.last_ts = std::max(month.last_ts.value_or(*play.ts), *play.ts);
    }
    Writer& writer = table.partition(partition);
    writer.write_int64(play.songplay_id);
    put(writer, play.ts);
    writer.write_int32(play.user_id);
    put(writer, play.session_id);
    put(writer, play.item_in_session);
    put(writer, play.level);
    put(writer, play.song);
    put(writer, play.artist);
    put(writer, play.length);
    put(writer, play.location);
    put(writer, play.user_agent);
    writer.end_row();
  }
  table.close();
  std::vector<PlayMonth> months;
  for (auto& [partition, month] : written) {
    month.partition = partition;
    months.push_back(std::move(month));
  }
  return months;
}

std::optional<std::vector<PlayMonth>> LakeState::read_play_months() {
  std::string path = io::join_path(dir_, kPlayMonthsFile);
  if (!fs_.exists(path)) return std::nullopt;
  StateFile file = read_state_file(fs_, path);
  const auto& partition = file.required("partition", PhysicalType::kByteArray);
  const auto& plays = file.required("plays", PhysicalType::kInt64);
  const auto& start_times = file.required("start_times", PhysicalType::kInt64);
  const auto& largest = file.required("largest_songplay_id", PhysicalType::kInt64);
  const auto& first_session = file.column("first_session", PhysicalType::kInt32);
  const auto& last_session = file.column("last_session", PhysicalType::kInt32);
  const auto& null_sessions = file.required("null_sessions", PhysicalType::kInt32);
  const auto& first_ts = file.column("first_ts", PhysicalType::kInt64);
  const auto& last_ts = file.column("last_ts", PhysicalType::kInt64);
  std::vector<PlayMonth> months(file.table.rows);
  for (size_t row = 0; row < months.size(); ++row) {
    months[row] = {std::string(partition.bytes_at(row)), plays.int64_at(row),       start_times.int64_at(row),
                   largest.int64_at(row),                int32_at(first_session, row), int32_at(last_session, row),
                   null_sessions.int32_at(row) != 0,     int64_at(first_ts, row),   int64_at(last_ts, row)};
  }
  return months;
}

void LakeState::write_play_months(const std::vector<PlayMonth>& months, const lake::parquet::WriterOptions& options) {
  write_state_file(fs_, io::join_path(dir_, kPlayMonthsFile),
                   {text_column("partition", false), int64_column("plays", false), int64_column("start_times", false),
                    int64_column("largest_songplay_id", false), int32_column("first_session"),
                    int32_column("last_session"), int32_column("null_sessions", false), int64_column("first_ts"),
                    int64_column("last_ts")},
                   options, months, [](Writer& writer, const PlayMonth& month) {
                     writer.write_string(month.partition);
                     writer.write_int64(month.plays);
                     writer.write_int64(month.start_times);
                     writer.write_int64(month.largest_songplay_id);
                     put(writer, month.first_session);
                     put(writer, month.last_session);
                     writer.write_int32(month.null_sessions ? 1 : 0);
                     put(writer, month.first_ts);
                     put(writer, month.last_ts);
                   });
}

uint64_t carry_over_partitions(io::FileSystem& fs, const std::string& from_table, const std::string& to_table,
                               const std::set<std::string>& replaced) {
  if (!fs.exists(from_table)) return 0;
  uint64_t copied = 0;
  for (const auto& file : fs.list(from_table, {".parquet"})) {
    if (replaced.count(partition_folder_of(from_table, file.path))) continue;
    fs.copy_file(file.path, io::join_path(to_table, file.path.substr(from_table.size() + 1)));
    ++copied;
  }
  return copied;
}

}  // namespace sparkify::pipeline
