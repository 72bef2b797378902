// Writes each star table of a finished StarBuilder into its lake folder:
// the column layout (partition columns live in folder names, not in the
// files) and the partitioning of docs/schema.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "io/file_system.h"
#include "lake/hive_path.h"
#include "lake/parquet/writer.h"
#include "transform/star_builder.h"

namespace sparkify::pipeline {

// The partition, year and month, of a songplays or time row that starts at
// `start_time_ms` (NULL: the default partition); lake::partition_path()
// gives its folder, "year=2018/month=11".
lake::PartitionValues start_time_partition(const std::optional<int64_t>& start_time_ms);

// Each returns the number of files written under `table_dir`.
uint64_t write_songplays_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                               const lake::parquet::WriterOptions& options);
uint64_t write_users_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                           const lake::parquet::WriterOptions& options);
uint64_t write_artists_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                             const lake::parquet::WriterOptions& options);
uint64_t write_time_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                          const lake::parquet::WriterOptions& options);
// songs has one folder per (year, artist_id): tens of thousands of small
// files, written by `threads` threads over disjoint sets of partitions.
uint64_t write_songs_table(const transform::StarBuilder& star, io::FileSystem& fs, const std::string& table_dir,
                           const lake::parquet::WriterOptions& options, size_t threads);

}  // namespace sparkify::pipeline
