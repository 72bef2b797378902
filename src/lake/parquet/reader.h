// A Parquet file reader for flat schemas: the lake's way to read back what
// it (or Redshift's UNLOAD, or DuckDB) wrote. It reads a whole file held in
// memory into columns.
//
// Supported: one level of columns under the root (no groups, no REPEATED);
// physical types INT32, INT64, DOUBLE and BYTE_ARRAY; REQUIRED or OPTIONAL;
// data pages v1 and v2; values PLAIN or dictionary-encoded (RLE_DICTIONARY,
// PLAIN_DICTIONARY) with a PLAIN dictionary page, and the encodings of
// writers' "v2" files (DuckDB's PARQUET_VERSION V2): DELTA_BINARY_PACKED
// integers, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY byte arrays,
// BYTE_STREAM_SPLIT fixed-width values; definition levels RLE; codecs
// none, Snappy, GZIP and ZSTD; any number of row groups and pages.
// Annotations read: STRING (UTF8), ENUM and JSON on BYTE_ARRAY;
// TIMESTAMP in MILLIS or MICROS, UTC-adjusted or not, on INT64; signed
// INT(8/16/32/64). Everything else is refused, naming the column: other
// physical types (BOOLEAN, INT96, FLOAT, FIXED_LEN_BYTE_ARRAY), unsigned
// integers, DECIMAL, DATE, TIME, nanosecond timestamps, the BIT_PACKED
// levels of old writers, other codecs (LZO, BROTLI, LZ4), nested schemas.
// Page CRCs, statistics, indexes and bloom filters are not read.
//
// The file is untrusted: every size, offset, count and index in it is
// checked before use, and a file that is corrupt, truncated or outside the
// subset fails with JobError whose message starts with the file's name and
// says what is wrong and where (row group, column, page offset). Decoded
// data is bounded by ReadOptions::max_decoded_bytes, so a small crafted
// file cannot make the reader allocate without limit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lake/parquet/writer.h"

namespace sparkify::lake::parquet {

enum class TimeUnit { kMillis, kMicros };

// A column as the file declares it.
struct ColumnDescriptor {
  std::string name;
  PhysicalType type = PhysicalType::kInt32;
  bool optional = true;
  // BYTE_ARRAY annotated STRING (UTF8), ENUM or JSON; otherwise raw bytes.
  bool is_string = false;
  // INT64 annotated TIMESTAMP: its unit and whether it is UTC-adjusted.
  std::optional<TimeUnit> timestamp_unit;
  bool adjusted_to_utc = false;
};

// The values of one column, one slot per row: a NULL row holds 0 or "" in
// its slot. Only the accessor of the column's physical type may be called
// (a programming error otherwise, checked by assert).
class ColumnData {
 public:
  const ColumnDescriptor& descriptor() const { return descriptor_; }
  const std::string& name() const { return descriptor_.name; }
  size_t size() const { return rows_; }
  bool has_nulls() const { return null_count_ > 0; }
  uint64_t null_count() const { return null_count_; }
  bool is_null(size_t row) const { return null_count_ > 0 && nulls_[row] != 0; }

  int32_t int32_at(size_t row) const { return int32s_[row]; }
  int64_t int64_at(size_t row) const { return int64s_[row]; }
  double double_at(size_t row) const { return doubles_[row]; }
  std::string_view bytes_at(size_t row) const {
    return std::string_view(bytes_).substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
  }
  // A TIMESTAMP column's value in epoch milliseconds (micros are floored:
  // -1 µs is -1 ms).
  int64_t epoch_ms_at(size_t row) const;

  // Whole columns, for loops that want no per-row call.
  const std::vector<int32_t>& int32s() const { return int32s_; }
  const std::vector<int64_t>& int64s() const { return int64s_; }
  const std::vector<double>& doubles() const { return doubles_; }

 private:
  friend class ColumnBuilder;

  ColumnDescriptor descriptor_;
  size_t rows_ = 0;
  uint64_t null_count_ = 0;
  std::vector<uint8_t> nulls_;  // 1 for a NULL row; empty while there is none
  std::vector<int32_t> int32s_;
  std::vector<int64_t> int64s_;
  std::vector<double> doubles_;
  std::string bytes_;              // BYTE_ARRAY values back to back
  std::vector<uint64_t> offsets_;  // start of each row's value, then the end
};

// The columns read from one file, in the order they were asked for (or the
// file's order), every one `rows` long.
struct ParquetTable {
  uint64_t rows = 0;
  std::vector<ColumnData> columns;
  std::string created_by;  // the writer named in the footer, if any

  // The column named `name`, or nullptr.
  const ColumnData* find(std::string_view name) const;
};

struct ReadOptions {
  // Only these columns, in this order; empty: every column of the file. A
  // name the file lacks fails the read. Columns not named are not decoded
  // (nor checked beyond the footer).
  std::vector<std::string> columns;
  // The most bytes the decoded columns (and one decompressed page) may
  // take; more fails the read.
  uint64_t max_decoded_bytes = uint64_t{4} << 30;
};

// Reads the Parquet file `bytes`; `source` names it in errors. Throws
// JobError as above.
ParquetTable read_parquet(std::string_view bytes, const std::string& source, const ReadOptions& options = {});

// Only the schema of the file (every column), from its footer.
std::vector<ColumnDescriptor> read_parquet_schema(std::string_view bytes, const std::string& source);

}  // namespace sparkify::lake::parquet
