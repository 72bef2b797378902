// A small Parquet reader written from the format's specification, so that
// the writer's offline tests can read back every byte it wrote: flat
// schemas, data pages v1, PLAIN and RLE_DICTIONARY values, RLE definition
// levels, no compression, Snappy or ZSTD. It is strict: any size, offset or
// count in the file that disagrees with what it decodes throws
// std::runtime_error naming what and where. DuckDB (tests/support/
// duckdb_reader.h) is the independent reader of the integration tests; this
// one needs nothing installed. It reads the footer with the Thrift types
// generated from the writer's own parquet.thrift, so it cannot catch a wrong
// field id in that IDL; DuckDB does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lake/parquet/parquet_types.h"
#include "parquet_test_support.h"

namespace sparkify::lake::parquet::testing {

namespace format = sparkify::lake::parquet::format;

// ULEB128 at data[position]; advances `position`. Throws when the data end
// first or the number needs more than 64 bits.
uint64_t read_varint(std::string_view data, size_t& position);

// The first `count` values of an RLE / bit-packing hybrid stream (no length
// prefix). `consumed`, when given, receives the bytes read: whole runs and
// whole bit-packed groups. Throws when the stream ends early or a run's
// value does not fit `bit_width`.
std::vector<uint32_t> decode_rle_hybrid(std::string_view data, int bit_width, size_t count, size_t* consumed = nullptr);

struct PageInfo {
  format::PageType::type type = format::PageType::DATA_PAGE;
  format::Encoding::type encoding = format::Encoding::PLAIN;  // of the values
  int32_t num_values = 0;                                     // rows (nulls included), or dictionary entries
  int32_t uncompressed_size = 0;
  int32_t compressed_size = 0;
  int index_bit_width = -1;  // RLE_DICTIONARY data pages only
};

struct ChunkContent {
  std::vector<Cell> cells;        // one per row of the row group
  std::vector<PageInfo> pages;    // in file order, the dictionary page first
  std::vector<Value> dictionary;  // its entries in order; empty without one
};

struct ParquetFile {
  format::FileMetaData metadata;
  std::vector<std::vector<ChunkContent>> chunks;  // [row group][column]

  // Every row of the file, row groups in order.
  std::vector<Row> rows() const;
};

ParquetFile read_parquet_bytes(std::string_view bytes);

}  // namespace sparkify::lake::parquet::testing
