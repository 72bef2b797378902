// Writes each star table of a finished StarBuilder into its lake folder:
// the column layout (partition columns live in folder names, not in the
// files) and the partitioning of docs/schema.md.
#pragma once

#include <string>

#include "io/file_system.h"
#include "lake/parquet/writer.h"
#include "transform/star_builder.h"

namespace sparkify::pipeline {

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
