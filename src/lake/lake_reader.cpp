#include "lake/lake_reader.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <limits>
#include <mutex>
#include <thread>

#include "model/catalog.h"
#include "model/error.h"

namespace sparkify::lake {
namespace {

using parquet::ColumnData;
using parquet::PhysicalType;

// What a row field needs of its column.
enum class Field { kText, kInt32, kInt64, kDouble, kTimestamp };

struct ColumnSpec {
  const char* name;
  Field field;
  bool key;  // a NULL fails the read
};

bool is_hidden(std::string_view name) { return !name.empty() && (name.front() == '.' || name.front() == '_'); }

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t next; (next = text.find(separator, start)) != std::string_view::npos; start = next + 1) {
    parts.push_back(text.substr(start, next - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

// The partition values of `relative` (the path below the table folder), or
// a failure naming `path`.
PartitionValues partition_of(const std::string& table, std::string_view relative, const std::string& path) {
  const auto& columns = model::partition_columns_of(table);
  std::vector<std::string_view> segments = split(relative, '/');
  if (segments.size() != columns.size() + 1) {
    throw JobError(path + ": not in the layout of table " + table + " (expected " +
                   std::to_string(columns.size()) + " partition folders above each file)");
  }
  PartitionValues values;
  for (size_t column_idx = 0; column_idx < columns.size(); ++column_idx) {
    std::string_view folder = segments[column_idx];
    size_t equals = folder.find('=');
    if (equals == std::string_view::npos || folder.substr(0, equals) != columns[column_idx]) {
      throw JobError(path + ": folder '" + std::string(folder) + "' where table " + table + " has " +
                     columns[column_idx] + "=VALUE");
    }
    std::string_view text = folder.substr(equals + 1);
    if (text == kHiveDefaultPartition) {
      values.push_back({columns[column_idx], std::nullopt});
    } else {
      values.push_back({columns[column_idx], unescape_partition_value(text)});
    }
  }
  return values;
}

std::optional<int32_t> partition_int(const LakeFile& file, size_t column_idx) {
  const auto& [name, value] = file.partition.at(column_idx);
  if (!value) return std::nullopt;
  int32_t number = 0;
  auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (error != std::errc() || end != value->data() + value->size()) {
    throw JobError(file.path + ": partition " + name + "=" + *value + " is not an INT");
  }
  return number;
}

std::string field_name(Field field) {
  switch (field) {
    case Field::kText: return "text (BYTE_ARRAY)";
    case Field::kInt32: return "an INT (INT32)";
    case Field::kInt64: return "a BIGINT (INT64)";
    case Field::kDouble: return "a DOUBLE";
    case Field::kTimestamp: return "a TIMESTAMP (INT64, MILLIS or MICROS)";
  }
  return "";
}

// Checks that each column of `file` can fill its field.
void check_columns(const LakeFile& file, const std::vector<ColumnSpec>& specs) {
  for (size_t column_idx = 0; column_idx < specs.size(); ++column_idx) {
    const ColumnData& column = file.table.columns[column_idx];
    const parquet::ColumnDescriptor& descriptor = column.descriptor();
    PhysicalType type = descriptor.type;
    bool fits = false;
    switch (specs[column_idx].field) {
      case Field::kText: fits = type == PhysicalType::kByteArray; break;
      case Field::kInt32:
      case Field::kInt64: fits = (type == PhysicalType::kInt32 || type == PhysicalType::kInt64) && !descriptor.timestamp_unit; break;
      case Field::kDouble: fits = type == PhysicalType::kDouble; break;
      case Field::kTimestamp: fits = type == PhysicalType::kInt64 && descriptor.timestamp_unit.has_value(); break;
    }
    if (!fits) {
      throw JobError(file.path + ": column " + column.name() + " is not " + field_name(specs[column_idx].field));
    }
    if (specs[column_idx].key && column.has_nulls()) {
      throw JobError(file.path + ": column " + column.name() + " holds NULL, and it is a key");
    }
  }
}

// Row values; the column's type was checked.
std::optional<std::string> text_at(const ColumnData& column, size_t row) {
  if (column.is_null(row)) return std::nullopt;
  return std::string(column.bytes_at(row));
}

int64_t int64_at(const ColumnData& column, size_t row) {
  return column.descriptor().type == PhysicalType::kInt32 ? column.int32_at(row) : column.int64_at(row);
}

int32_t int32_at(const LakeFile& file, const ColumnData& column, size_t row) {
  if (column.descriptor().type == PhysicalType::kInt32) return column.int32_at(row);
  int64_t value = column.int64_at(row);
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    throw JobError(file.path + ": column " + column.name() + " holds " + std::to_string(value) +
                   ", out of an INT's range");
  }
  return static_cast<int32_t>(value);
}

std::optional<int32_t> optional_int32_at(const LakeFile& file, const ColumnData& column, size_t row) {
  if (column.is_null(row)) return std::nullopt;
  return int32_at(file, column, row);
}

std::optional<double> optional_double_at(const ColumnData& column, size_t row) {
  if (column.is_null(row)) return std::nullopt;
  return column.double_at(row);
}

std::optional<int64_t> optional_epoch_ms_at(const ColumnData& column, size_t row) {
  if (column.is_null(row)) return std::nullopt;
  return column.epoch_ms_at(row);
}

size_t concurrency_of(const LakeReadOptions& options) {
  return options.concurrency ? options.concurrency : std::max(1u, std::thread::hardware_concurrency());
}

// Reads the files of `table` (its columns `columns`, or all) on
// read_many's threads and hands each to `on_file` there.
template <typename OnFile>
void read_files(io::FileSystem& fs, const std::string& root, const std::string& table,
                const std::vector<std::string>& columns, const LakeReadOptions& options, OnFile on_file) {
  std::vector<io::FileEntry> files = list_table_files(fs, root, table);
  std::string table_dir = io::join_path(root, table);
  parquet::ReadOptions read_options;
  read_options.columns = columns;
  fs.read_many(files, concurrency_of(options), [&](size_t index, io::Bytes bytes) {
    LakeFile file;
    file.path = files[index].path;
    file.partition = partition_of(table, std::string_view(file.path).substr(table_dir.size() + 1), file.path);
    file.table = parquet::read_parquet(bytes.view(), file.path, read_options);
    on_file(index, std::move(file));
  });
}

// Sorts `rows` by `key`, keeping the order of equal keys; rows that come
// sorted (one file, or files in key order) are left as they are.
template <typename Row, typename Key>
void sort_by(std::vector<Row>& rows, Key key) {
  auto less = [&](const Row& a, const Row& b) { return key(a) < key(b); };
  if (!std::is_sorted(rows.begin(), rows.end(), less)) std::stable_sort(rows.begin(), rows.end(), less);
}

std::vector<std::string> names_of(const std::vector<ColumnSpec>& specs) {
  std::vector<std::string> names;
  for (const auto& spec : specs) names.emplace_back(spec.name);
  return names;
}

// Reads the files of `table` on read_many's threads, turning each into rows
// with `to_rows` there; returns the rows of every file, in path order.
template <typename Row, typename ToRows>
std::vector<Row> read_rows(io::FileSystem& fs, const std::string& root, const std::string& table,
                           const std::vector<ColumnSpec>& specs, const LakeReadOptions& options, ToRows to_rows) {
  std::vector<std::vector<Row>> per_file;
  std::mutex per_file_mutex;
  read_files(fs, root, table, names_of(specs), options, [&](size_t index, LakeFile file) {
    check_columns(file, specs);
    std::vector<Row> rows = to_rows(file);
    std::lock_guard lock(per_file_mutex);
    if (per_file.size() <= index) per_file.resize(index + 1);
    per_file[index] = std::move(rows);
  });
  if (per_file.size() == 1) return std::move(per_file[0]);
  size_t total = 0;
  for (const auto& rows : per_file) total += rows.size();
  std::vector<Row> rows;
  rows.reserve(total);
  for (auto& file_rows : per_file) {
    std::move(file_rows.begin(), file_rows.end(), std::back_inserter(rows));
    std::vector<Row>().swap(file_rows);
  }
  return rows;
}

}  // namespace

std::vector<io::FileEntry> list_table_files(io::FileSystem& fs, const std::string& root, const std::string& table) {
  model::partition_columns_of(table);  // a star table, or a programming error
  std::string table_dir = io::join_path(root, table);
  if (!fs.exists(table_dir)) throw JobError(table_dir + ": no such table folder in the lake");
  if (!fs.exists(io::join_path(table_dir, "_SUCCESS"))) {
    throw JobError(table_dir + ": the table is not complete (no _SUCCESS): a load was cut short, or is running");
  }
  std::vector<io::FileEntry> listed = fs.list(table_dir, {".parquet"});
  std::vector<io::FileEntry> files;
  std::string prefix = table_dir + "/";
  for (auto& entry : listed) {
    if (entry.path.compare(0, prefix.size(), prefix) != 0) {
      throw IoError(entry.path + ": listed under " + table_dir + " but not below it");
    }
    std::string_view relative = std::string_view(entry.path).substr(prefix.size());
    std::vector<std::string_view> segments = split(relative, '/');
    if (std::any_of(segments.begin(), segments.end(), is_hidden)) continue;
    partition_of(table, relative, entry.path);  // fails early on a file outside the layout
    files.push_back(std::move(entry));
  }
  return files;
}

std::vector<LakeFile> read_table_files(io::FileSystem& fs, const std::string& root, const std::string& table,
                                       const std::vector<std::string>& columns, const LakeReadOptions& options) {
  std::vector<LakeFile> out;
  std::mutex out_mutex;
  read_files(fs, root, table, columns, options, [&](size_t index, LakeFile file) {
    std::lock_guard lock(out_mutex);
    if (out.size() <= index) out.resize(index + 1);
    out[index] = std::move(file);
  });
  return out;
}

std::vector<model::SongplayRow> read_songplays(io::FileSystem& fs, const std::string& root,
                                               const LakeReadOptions& options) {
  const std::vector<ColumnSpec> specs = {
      {"songplay_id", Field::kInt64, true}, {"start_time", Field::kTimestamp, false},
      {"user_id", Field::kInt32, true},     {"level", Field::kText, false},
      {"song_id", Field::kText, false},     {"artist_id", Field::kText, false},
      {"session_id", Field::kInt32, false}, {"location", Field::kText, false},
      {"user_agent", Field::kText, false}};
  auto rows = read_rows<model::SongplayRow>(fs, root, "songplays", specs, options, [](const LakeFile& file) {
    const auto& c = file.table.columns;
    std::vector<model::SongplayRow> out(file.table.rows);
    for (size_t row = 0; row < out.size(); ++row) {
      model::SongplayRow& r = out[row];
      r.songplay_id = int64_at(c[0], row);
      r.start_time_ms = optional_epoch_ms_at(c[1], row);
      r.user_id = int32_at(file, c[2], row);
      r.level = text_at(c[3], row);
      r.song_id = text_at(c[4], row);
      r.artist_id = text_at(c[5], row);
      r.session_id = optional_int32_at(file, c[6], row);
      r.location = text_at(c[7], row);
      r.user_agent = text_at(c[8], row);
    }
    return out;
  });
  sort_by(rows, [](const model::SongplayRow& row) { return row.songplay_id; });
  return rows;
}

std::vector<model::UserRow> read_users(io::FileSystem& fs, const std::string& root, const LakeReadOptions& options) {
  const std::vector<ColumnSpec> specs = {{"user_id", Field::kInt32, true},
                                         {"first_name", Field::kText, false},
                                         {"last_name", Field::kText, false},
                                         {"gender", Field::kText, false},
                                         {"level", Field::kText, false}};
  auto rows = read_rows<model::UserRow>(fs, root, "users", specs, options, [](const LakeFile& file) {
    const auto& c = file.table.columns;
    std::vector<model::UserRow> out(file.table.rows);
    for (size_t row = 0; row < out.size(); ++row) {
      out[row] = {int32_at(file, c[0], row), text_at(c[1], row), text_at(c[2], row), text_at(c[3], row),
                  text_at(c[4], row)};
    }
    return out;
  });
  sort_by(rows, [](const model::UserRow& row) { return row.user_id; });
  return rows;
}

std::vector<model::SongRow> read_songs(io::FileSystem& fs, const std::string& root, const LakeReadOptions& options) {
  const std::vector<ColumnSpec> specs = {
      {"song_id", Field::kText, true}, {"title", Field::kText, false}, {"duration", Field::kDouble, false}};
  // year and artist_id are the partition folders.
  auto rows = read_rows<model::SongRow>(fs, root, "songs", specs, options, [](const LakeFile& file) {
    const auto& c = file.table.columns;
    std::optional<int32_t> year = partition_int(file, 0);
    const std::optional<std::string>& artist_id = file.partition.at(1).second;
    std::vector<model::SongRow> out(file.table.rows);
    for (size_t row = 0; row < out.size(); ++row) {
      out[row] = {std::string(c[0].bytes_at(row)), text_at(c[1], row), artist_id, year, optional_double_at(c[2], row)};
    }
    return out;
  });
  sort_by(rows, [](const model::SongRow& row) -> const std::string& { return row.song_id; });
  return rows;
}

std::vector<model::ArtistRow> read_artists(io::FileSystem& fs, const std::string& root,
                                           const LakeReadOptions& options) {
  const std::vector<ColumnSpec> specs = {{"artist_id", Field::kText, true},
                                         {"name", Field::kText, false},
                                         {"location", Field::kText, false},
                                         {"latitude", Field::kDouble, false},
                                         {"longitude", Field::kDouble, false}};
  auto rows = read_rows<model::ArtistRow>(fs, root, "artists", specs, options, [](const LakeFile& file) {
    const auto& c = file.table.columns;
    std::vector<model::ArtistRow> out(file.table.rows);
    for (size_t row = 0; row < out.size(); ++row) {
      out[row] = {std::string(c[0].bytes_at(row)), text_at(c[1], row), text_at(c[2], row),
                  optional_double_at(c[3], row), optional_double_at(c[4], row)};
    }
    return out;
  });
  sort_by(rows, [](const model::ArtistRow& row) -> const std::string& { return row.artist_id; });
  return rows;
}

std::vector<model::TimeRow> read_time(io::FileSystem& fs, const std::string& root, const LakeReadOptions& options) {
  const std::vector<ColumnSpec> specs = {{"start_time", Field::kTimestamp, true},
                                         {"hour", Field::kInt32, true},
                                         {"day", Field::kInt32, true},
                                         {"week", Field::kInt32, true},
                                         {"weekday", Field::kInt32, true}};
  // year and month are the partition folders.
  auto rows = read_rows<model::TimeRow>(fs, root, "time", specs, options, [](const LakeFile& file) {
    const auto& c = file.table.columns;
    std::optional<int32_t> year = partition_int(file, 0);
    std::optional<int32_t> month = partition_int(file, 1);
    if (!year || !month) throw JobError(file.path + ": a time row needs a year and a month, not NULL");
    std::vector<model::TimeRow> out(file.table.rows);
    for (size_t row = 0; row < out.size(); ++row) {
      out[row] = {c[0].epoch_ms_at(row), int32_at(file, c[1], row), int32_at(file, c[2], row),
                  int32_at(file, c[3], row), *month, *year, int32_at(file, c[4], row)};
    }
    return out;
  });
  sort_by(rows, [](const model::TimeRow& row) { return row.start_time_ms; });
  return rows;
}

model::StarSchema read_star(io::FileSystem& fs, const std::string& root, const LakeReadOptions& options) {
  model::StarSchema star;
  star.songplays = read_songplays(fs, root, options);
  star.users = read_users(fs, root, options);
  star.songs = read_songs(fs, root, options);
  star.artists = read_artists(fs, root, options);
  star.time = read_time(fs, root, options);
  return star;
}

}  // namespace sparkify::lake
