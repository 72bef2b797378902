#include "pipeline/lake_tables.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "lake/partitioned_writer.h"
#include "model/catalog.h"
#include "pipeline/parquet_rows.h"

namespace sparkify::pipeline {
namespace {

using lake::PartitionedWriter;
using lake::PartitionValues;
using lake::parquet::Writer;
using namespace parquet_rows;

// Year and month of an epoch-ms instant, UTC.
std::pair<int, unsigned> year_month_of(int64_t epoch_ms) {
  using namespace std::chrono;
  year_month_day date{floor<days>(sys_time<milliseconds>{milliseconds{epoch_ms}})};
  return {static_cast<int>(date.year()), static_cast<unsigned>(date.month())};
}

// `values` under the partition columns the catalog gives `table`, in order.
PartitionValues partition_of(const std::string& table, std::vector<std::optional<std::string>> values) {
  const auto& columns = model::partition_columns_of(table);
  if (columns.size() != values.size()) throw std::logic_error("partition values do not fit " + table);
  PartitionValues partition;
  for (size_t idx = 0; idx < columns.size(); ++idx) partition.push_back({columns[idx], std::move(values[idx])});
  return partition;
}

// songplays and time: the year and month of start_time.
PartitionValues year_month_partition(const std::string& table, const std::optional<int64_t>& epoch_ms) {
  if (!epoch_ms) return partition_of(table, {std::nullopt, std::nullopt});
  auto [year, month] = year_month_of(*epoch_ms);
  return partition_of(table, {std::to_string(year), std::to_string(month)});
}

// The writer of each row's year/month partition, for rows that come
// grouped by month: the partition's path is built once per month, not per
// row.
class MonthWriters {
 public:
  MonthWriters(PartitionedWriter& table, std::string table_name) : table_(table), table_name_(std::move(table_name)) {}
  Writer& of(const std::optional<int64_t>& epoch_ms) {
    std::optional<std::pair<int, unsigned>> month;
    if (epoch_ms) month = year_month_of(*epoch_ms);
    if (!writer_ || month != month_) {
      writer_ = &table_.partition(year_month_partition(table_name_, epoch_ms));
      month_ = month;
    }
    return *writer_;
  }

 private:
  PartitionedWriter& table_;
  std::string table_name_;
  Writer* writer_ = nullptr;
  std::optional<std::pair<int, unsigned>> month_;
};

}  // namespace

lake::PartitionValues start_time_partition(const std::optional<int64_t>& start_time_ms) {
  return year_month_partition("songplays", start_time_ms);
}

uint64_t write_songplays_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                               const lake::parquet::WriterOptions& options) {
  PartitionedWriter table(fs, table_dir,
                          {int64_column("songplay_id", false), timestamp_column("start_time"),
                           int32_column("user_id", false), text_column("level"), text_column("song_id"),
                           text_column("artist_id"), int32_column("session_id"), text_column("location"),
                           text_column("user_agent")},
                          options);
  // Rows are in start_time order, so each month's rows come together; the
  // partition's writer is looked up only when the month changes.
  MonthWriters months(table, "songplays");
  for (size_t idx = 0; idx < star.songplay_count(); ++idx) {
    transform::SongplayView row = star.songplay(idx);
    Writer& writer = months.of(row.start_time_ms);
    writer.write_int64(row.songplay_id);
    put(writer, row.start_time_ms);
    writer.write_int32(row.user_id);
    put(writer, row.level);
    put(writer, row.song_id);
    put(writer, row.artist_id);
    put(writer, row.session_id);
    put(writer, row.location);
    put(writer, row.user_agent);
    writer.end_row();
  }
  table.close();
  return table.files_written();
}

uint64_t write_users_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                           const lake::parquet::WriterOptions& options) {
  PartitionedWriter table(fs, table_dir,
                          {int32_column("user_id", false), text_column("first_name"), text_column("last_name"),
                           text_column("gender"), text_column("level")},
                          options);
  if (star.users().empty()) return 0;
  Writer& writer = table.partition(partition_of("users", {}));
  for (const auto& user : star.users()) {
    writer.write_int32(user.user_id);
    put(writer, user.first_name);
    put(writer, user.last_name);
    put(writer, user.gender);
    put(writer, user.level);
    writer.end_row();
  }
  table.close();
  return table.files_written();
}

uint64_t write_artists_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                             const lake::parquet::WriterOptions& options) {
  PartitionedWriter table(fs, table_dir,
                          {text_column("artist_id", false), text_column("name"), text_column("location"),
                           double_column("latitude"), double_column("longitude")},
                          options);
  if (star.artists().empty()) return 0;
  Writer& writer = table.partition(partition_of("artists", {}));
  for (const auto& artist : star.artists()) {
    writer.write_string(artist.artist_id);
    put(writer, artist.name);
    put(writer, artist.location);
    put(writer, artist.latitude);
    put(writer, artist.longitude);
    writer.end_row();
  }
  table.close();
  return table.files_written();
}

uint64_t write_time_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                          const lake::parquet::WriterOptions& options) {
  PartitionedWriter table(fs, table_dir,
                          {timestamp_column("start_time", false), int32_column("hour", false),
                           int32_column("day", false), int32_column("week", false), int32_column("weekday", false)},
                          options);
  MonthWriters months(table, "time");
  star.for_each_time_row([&months](const model::TimeRow& time) {
    Writer& writer = months.of(time.start_time_ms);
    writer.write_int64(time.start_time_ms);
    writer.write_int32(time.hour);
    writer.write_int32(time.day);
    writer.write_int32(time.week);
    writer.write_int32(time.weekday);
    writer.end_row();
  });
  table.close();
  return table.files_written();
}

uint64_t write_songs_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                           const lake::parquet::WriterOptions& options, size_t threads) {
  const auto& songs = star.songs();
  // Group by partition (year, artist_id), NULLs last, then song_id.
  std::vector<const model::SongRow*> order;
  order.reserve(songs.size());
  for (const auto& song : songs) order.push_back(&song);
  std::sort(order.begin(), order.end(), [](const model::SongRow* a, const model::SongRow* b) {
    if (a->year != b->year) return !a->year ? false : (!b->year ? true : *a->year < *b->year);
    if (a->artist_id != b->artist_id) return !a->artist_id ? false : (!b->artist_id ? true : *a->artist_id < *b->artist_id);
    return a->song_id < b->song_id;
  });
  auto same_partition = [](const model::SongRow* a, const model::SongRow* b) {
    return a->year == b->year && a->artist_id == b->artist_id;
  };
  // Cut the rows into one slice per thread at partition boundaries.
  threads = std::max<size_t>(1, std::min(threads, order.size() / 64 + 1));
  std::vector<size_t> cuts{0};
  for (size_t slice_idx = 1; slice_idx < threads; ++slice_idx) {
    size_t cut = order.size() * slice_idx / threads;
    while (cut > cuts.back() && cut < order.size() && same_partition(order[cut - 1], order[cut])) ++cut;
    if (cut > cuts.back() && cut < order.size()) cuts.push_back(cut);
  }
  cuts.push_back(order.size());

  std::vector<uint64_t> files(cuts.size() - 1, 0);
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto write_slice = [&](size_t slice_idx) {
    try {
      PartitionedWriter table(fs, table_dir,
                              {text_column("song_id", false), text_column("title"), double_column("duration")},
                              options);
      for (size_t row_idx = cuts[slice_idx]; row_idx < cuts[slice_idx + 1]; ++row_idx) {
        const model::SongRow& song = *order[row_idx];
        Writer& writer = table.partition(partition_of(
            "songs", {song.year ? std::optional<std::string>(std::to_string(*song.year)) : std::nullopt,
                      song.artist_id}));
        writer.write_string(song.song_id);
        put(writer, song.title);
        put(writer, song.duration);
        writer.end_row();
      }
      table.close();
      files[slice_idx] = table.files_written();
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  for (size_t slice_idx = 1; slice_idx + 1 < cuts.size(); ++slice_idx) workers.emplace_back(write_slice, slice_idx);
  write_slice(0);
  for (auto& worker : workers) worker.join();
  if (first_error) std::rethrow_exception(first_error);
  uint64_t total = 0;
  for (uint64_t count : files) total += count;
  return total;
}

}  // namespace sparkify::pipeline
