// A Parquet file writer for flat schemas: the lake's only way to write
// Parquet. Columns are INT32, INT64, DOUBLE or BYTE_ARRAY (STRING), REQUIRED
// or OPTIONAL; timestamps are INT64 TIMESTAMP(MILLIS, UTC). Data pages are v1
// with PLAIN or dictionary (RLE_DICTIONARY) encoding, definition levels RLE;
// Snappy, ZSTD or no compression; min/max/null-count statistics on every
// column chunk; row groups bounded by rows and by buffered bytes, so memory
// stays bounded on any input.
//
// Use: construct, then per row one write_*() per column in schema order and
// end_row(); close() at the end. Until close() returns nothing is visible at
// the output's path; abort(), a failure, or destruction without close()
// leave nothing behind.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"

namespace sparkify::lake::parquet {

enum class PhysicalType { kInt32, kInt64, kDouble, kByteArray };
// kString: BYTE_ARRAY, UTF-8. kTimestampMillis: INT64, UTC-adjusted millis.
enum class LogicalType { kNone, kString, kTimestampMillis };
enum class Compression { kNone, kSnappy, kZstd };

struct Column {
  std::string name;
  PhysicalType type = PhysicalType::kInt32;
  LogicalType logical = LogicalType::kNone;
  bool optional = true;
};

struct WriterOptions {
  Compression compression = Compression::kSnappy;
  size_t max_row_group_rows = 122880;
  // Uncompressed bytes buffered before a row group is flushed.
  size_t max_row_group_bytes = size_t{64} << 20;
  // Dictionary-encode a column chunk while its dictionary stays small;
  // PLAIN otherwise.
  bool dictionary = true;
  size_t max_dictionary_bytes = size_t{1} << 20;
  // Uncompressed value bytes per data page.
  size_t page_bytes = size_t{1} << 20;
  std::string created_by = "sparkify-etl";
};

class Writer {
 public:
  // Writes to `out`, which it owns. Throws std::invalid_argument on an
  // empty schema or a logical type that does not fit its physical type.
  Writer(std::vector<Column> schema, WriterOptions options, std::unique_ptr<io::OutputStream> out);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // One value of the next column. A null into a REQUIRED column, or a value
  // of another type than the column's, is a programming error
  // (std::logic_error).
  void write_null();
  void write_int32(int32_t value);
  void write_int64(int64_t value);
  void write_double(double value);
  void write_string(std::string_view value);

  // Ends the row (every column must have had its value); flushes a row
  // group when a limit is reached.
  void end_row();

  // Flushes, writes the footer and closes the output. Throws IoError.
  void close();
  void abort() noexcept;

  uint64_t rows_written() const { return rows_written_; }

 private:
  struct ColumnState;
  struct FileState;

  ColumnState& next_column();
  void flush_row_group();

  std::vector<Column> schema_;
  WriterOptions options_;
  std::unique_ptr<io::OutputStream> out_;
  std::vector<std::unique_ptr<ColumnState>> columns_;
  std::unique_ptr<FileState> file_;
  size_t column_cursor_ = 0;
  size_t rows_in_group_ = 0;
  uint64_t rows_written_ = 0;
  bool finished_ = false;
};

}  // namespace sparkify::lake::parquet
