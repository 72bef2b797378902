#include "lake/partitioned_writer.h"

#include <fmt/format.h>

namespace sparkify::lake {

PartitionedWriter::PartitionedWriter(io::FileSystem& fs, std::string table_dir, std::vector<parquet::Column> columns,
                                     parquet::WriterOptions options)
    : fs_(fs), table_dir_(std::move(table_dir)), columns_(std::move(columns)), options_(std::move(options)) {}

PartitionedWriter::~PartitionedWriter() { abort(); }

parquet::Writer& PartitionedWriter::partition(const PartitionValues& values) {
  std::string folder = values.empty() ? table_dir_ : io::join_path(table_dir_, partition_path(values));
  if (current_ && folder == current_path_) return *current_;
  if (current_) {
    current_->close();
    current_.reset();
    ++files_written_;
  }
  current_path_ = folder;
  uint32_t part = parts_per_folder_[folder]++;
  current_ = std::make_unique<parquet::Writer>(
      columns_, options_, fs_.create_unpublished(io::join_path(folder, fmt::format("part-{:05}.parquet", part))));
  return *current_;
}

void PartitionedWriter::close() {
  if (!current_) return;
  current_->close();
  current_.reset();
  ++files_written_;
}

void PartitionedWriter::abort() noexcept {
  if (!current_) return;
  current_->abort();
  current_.reset();
}

}  // namespace sparkify::lake
