// Writes one lake table: a Parquet file per partition folder
// (`<table_dir>/year=2018/month=11/part-00000.parquet`), or one file at the
// top when the table has no partitions. Rows should arrive grouped by
// partition; each partition's file is finished when the next begins, and a
// folder met again gets a new part file (part-00001, …) rather than losing
// the first one. The table folder is expected to be a staging folder that
// is published whole (LakeTransaction), so files are written in place.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "io/file_system.h"
#include "lake/hive_path.h"
#include "lake/parquet/writer.h"

namespace sparkify::lake {

class PartitionedWriter {
 public:
  PartitionedWriter(io::FileSystem& fs, std::string table_dir, std::vector<parquet::Column> columns,
                    parquet::WriterOptions options);
  ~PartitionedWriter();

  // The writer for the partition `values` (empty: the unpartitioned file).
  // Finishes the previous partition's file when the values change.
  parquet::Writer& partition(const PartitionValues& values);

  // Finishes the last file. Throws IoError on failure.
  void close();
  void abort() noexcept;

  uint64_t files_written() const { return files_written_; }

 private:
  io::FileSystem& fs_;
  std::string table_dir_;
  std::vector<parquet::Column> columns_;
  parquet::WriterOptions options_;
  std::unique_ptr<parquet::Writer> current_;
  std::string current_path_;
  std::unordered_map<std::string, uint32_t> parts_per_folder_;
  uint64_t files_written_ = 0;
};

}  // namespace sparkify::lake
