// Reads a lake's star tables back: the files this tool's lake sink writes,
// and those Redshift's UNLOAD writes into a lake, through io::FileSystem (a
// local folder or s3://).
//
// A table is LAKE/<table>/, complete when it holds _SUCCESS; its data are
// the *.parquet files below it, in hive partition folders
// (`column=value`, the catalog's partition columns of the table in order,
// model/catalog.h). Files and folders whose names start with '.' or '_'
// (staging, a writer's temporary files, _SUCCESS) are not data. A partition
// value is unescaped as model/partition_value.h escapes it;
// __HIVE_DEFAULT_PARTITION__ is NULL.
//
// Columns are found by name, so their order in the files does not matter
// and extra columns are ignored. Each needs a type that holds the row
// field: text BYTE_ARRAY; INT and BIGINT INT32 or INT64 (an INT64 value
// outside an INT column's range fails); DOUBLE DOUBLE; start_time an INT64
// TIMESTAMP in MILLIS or MICROS (UTC-adjusted or not: Redshift writes
// TIMESTAMP as local time with no zone, which is UTC here).
//
// Failures throw JobError (IoError for the store) naming the file or
// folder: a table folder that is missing or lacks _SUCCESS, a file outside
// the partition layout, a column missing or of another type, a NULL in a
// key column, a file that is not readable Parquet (lake/parquet/reader.h).
// An empty or new lake is not read as empty tables: check it first with
// classify_lake_folder (lake_folder.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "lake/hive_path.h"
#include "lake/parquet/reader.h"
#include "model/star.h"

namespace sparkify::lake {

struct LakeReadOptions {
  // Files read and decoded at once; 0: one per core. On S3 this is also
  // the number of requests in flight.
  size_t concurrency = 0;
};

// One data file of a table and its partition values, in the order of the
// table's partition columns (nullopt: NULL).
struct LakeFile {
  std::string path;
  PartitionValues partition;
  parquet::ParquetTable table;
};

// The data files of the complete table `table` (a star table's name) under
// `root`, sorted by path. Throws as above when the table is missing or
// incomplete, or a file lies outside its partition layout.
std::vector<io::FileEntry> list_table_files(io::FileSystem& fs, const std::string& root, const std::string& table);

// Those files read: the named columns of each (all when `columns` is
// empty), in path order.
std::vector<LakeFile> read_table_files(io::FileSystem& fs, const std::string& root, const std::string& table,
                                       const std::vector<std::string>& columns, const LakeReadOptions& options = {});

// One star table as rows, sorted by its key as model::StarSchema holds it:
// songplays by songplay_id, users by user_id, songs by song_id, artists by
// artist_id, time by start_time (rows with equal keys in path order).
std::vector<model::SongplayRow> read_songplays(io::FileSystem& fs, const std::string& root,
                                               const LakeReadOptions& options = {});
std::vector<model::UserRow> read_users(io::FileSystem& fs, const std::string& root,
                                       const LakeReadOptions& options = {});
std::vector<model::SongRow> read_songs(io::FileSystem& fs, const std::string& root,
                                       const LakeReadOptions& options = {});
std::vector<model::ArtistRow> read_artists(io::FileSystem& fs, const std::string& root,
                                           const LakeReadOptions& options = {});
std::vector<model::TimeRow> read_time(io::FileSystem& fs, const std::string& root,
                                      const LakeReadOptions& options = {});

// All five tables.
model::StarSchema read_star(io::FileSystem& fs, const std::string& root, const LakeReadOptions& options = {});

}  // namespace sparkify::lake
