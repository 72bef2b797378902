#include "lake/parquet/writer.h"

#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "lake/parquet/compression.h"
#include "lake/parquet/encoding.h"
#include "lake/parquet/parquet_types.h"
#include "model/error.h"

namespace sparkify::lake::parquet {
namespace {

namespace fmt_ = sparkify::lake::parquet::format;

// Serialises a Thrift struct with the compact protocol, as Parquet's
// footer and page headers are.
template <typename ThriftStruct>
void append_thrift(const ThriftStruct& value, std::string& out) {
  using apache::thrift::protocol::TCompactProtocolT;
  using apache::thrift::transport::TMemoryBuffer;
  // One buffer and protocol per thread, reused: a songs table writes a few
  // headers and a footer into each of tens of thousands of small files.
  // A struct written whole leaves the protocol as it found it; one that
  // failed halfway may not, so the protocol is then made anew.
  thread_local auto buffer = std::make_shared<TMemoryBuffer>();
  thread_local auto protocol = std::make_unique<TCompactProtocolT<TMemoryBuffer>>(buffer);
  buffer->resetBuffer();
  try {
    value.write(protocol.get());
  } catch (...) {
    protocol = std::make_unique<TCompactProtocolT<TMemoryBuffer>>(buffer);
    throw;
  }
  uint8_t* bytes = nullptr;
  uint32_t size = 0;
  buffer->getBuffer(&bytes, &size);
  out.append(reinterpret_cast<const char*>(bytes), size);
}

fmt_::Type::type thrift_type(PhysicalType type) {
  switch (type) {
    case PhysicalType::kInt32: return fmt_::Type::INT32;
    case PhysicalType::kInt64: return fmt_::Type::INT64;
    case PhysicalType::kDouble: return fmt_::Type::DOUBLE;
    case PhysicalType::kByteArray: return fmt_::Type::BYTE_ARRAY;
  }
  return fmt_::Type::INT32;
}

fmt_::CompressionCodec::type thrift_codec(Compression codec) {
  switch (codec) {
    case Compression::kNone: return fmt_::CompressionCodec::UNCOMPRESSED;
    case Compression::kSnappy: return fmt_::CompressionCodec::SNAPPY;
    case Compression::kZstd: return fmt_::CompressionCodec::ZSTD;
  }
  return fmt_::CompressionCodec::UNCOMPRESSED;
}

template <typename T>
std::string raw_bytes(T value) {
  std::string out;
  append_plain(value, out);
  return out;
}

}  // namespace

// The buffered values of one column in the open row group.
struct Writer::ColumnState {
  Column spec;
  std::vector<uint32_t> def_levels;  // per row, only for OPTIONAL columns
  std::vector<int32_t> int32_values;
  std::vector<int64_t> int64_values;
  std::vector<double> double_values;
  std::string byte_data;               // byte arrays back to back
  std::vector<uint32_t> byte_offsets;  // start of each, plus the end
  size_t value_bytes = 0;              // PLAIN size of the values buffered
  int64_t null_count = 0;

  size_t value_count() const {
    switch (spec.type) {
      case PhysicalType::kInt32: return int32_values.size();
      case PhysicalType::kInt64: return int64_values.size();
      case PhysicalType::kDouble: return double_values.size();
      case PhysicalType::kByteArray: return byte_offsets.size() - 1;
    }
    return 0;
  }
  std::string_view bytes_at(size_t value_idx) const {
    return std::string_view(byte_data).substr(byte_offsets[value_idx], byte_offsets[value_idx + 1] - byte_offsets[value_idx]);
  }
  void clear() {
    def_levels.clear();
    int32_values.clear();
    int64_values.clear();
    double_values.clear();
    byte_data.clear();
    byte_offsets.assign(1, 0);
    value_bytes = 0;
    null_count = 0;
  }
};

struct Writer::FileState {
  uint64_t offset = 0;  // bytes written so far
  std::vector<fmt_::RowGroup> row_groups;
  std::string scratch;      // page being built
  std::string compressed;   // its compressed form
  std::string header;       // its header
};

namespace {

// Min and max of a chunk's non-null values, in the column's sort order.
struct ChunkStats {
  bool has_value = false;
  std::string min;
  std::string max;
};

template <typename T>
ChunkStats numeric_stats(const std::vector<T>& values) {
  ChunkStats stats;
  bool found = false;
  T low{};
  T high{};
  for (T value : values) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(value)) continue;  // NaN has no place in an ordering
    }
    if (!found) {
      low = high = value;
      found = true;
    } else {
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  if (!found) return stats;
  if constexpr (std::is_floating_point_v<T>) {
    // The format asks for -0.0 as a zero minimum and +0.0 as a zero maximum.
    if (low == 0) low = -0.0;
    if (high == 0) high = 0.0;
  }
  stats.has_value = true;
  stats.min = raw_bytes(low);
  stats.max = raw_bytes(high);
  return stats;
}

}  // namespace

Writer::Writer(std::vector<Column> schema, WriterOptions options, std::unique_ptr<io::OutputStream> out)
    : schema_(std::move(schema)), options_(std::move(options)), out_(std::move(out)),
      file_(std::make_unique<FileState>()) {
  if (schema_.empty()) throw std::invalid_argument("a Parquet schema needs at least one column");
  for (const auto& column : schema_) {
    if (column.logical == LogicalType::kString && column.type != PhysicalType::kByteArray) {
      throw std::invalid_argument("column " + column.name + ": STRING needs BYTE_ARRAY");
    }
    if (column.logical == LogicalType::kTimestampMillis && column.type != PhysicalType::kInt64) {
      throw std::invalid_argument("column " + column.name + ": TIMESTAMP needs INT64");
    }
    auto state = std::make_unique<ColumnState>();
    state->spec = column;
    state->clear();
    columns_.push_back(std::move(state));
  }
  out_->write("PAR1");
  file_->offset = 4;
}

Writer::~Writer() { abort(); }

Writer::ColumnState& Writer::next_column() {
  if (column_cursor_ >= columns_.size()) throw std::logic_error("more values than columns in a Parquet row");
  return *columns_[column_cursor_++];
}

void Writer::write_null() {
  ColumnState& column = next_column();
  if (!column.spec.optional) throw std::logic_error("NULL written to REQUIRED column " + column.spec.name);
  column.def_levels.push_back(0);
  ++column.null_count;
}

void Writer::write_int32(int32_t value) {
  ColumnState& column = next_column();
  if (column.spec.type != PhysicalType::kInt32) throw std::logic_error("INT32 written to column " + column.spec.name);
  if (column.spec.optional) column.def_levels.push_back(1);
  column.int32_values.push_back(value);
  column.value_bytes += 4;
}

void Writer::write_int64(int64_t value) {
  ColumnState& column = next_column();
  if (column.spec.type != PhysicalType::kInt64) throw std::logic_error("INT64 written to column " + column.spec.name);
  if (column.spec.optional) column.def_levels.push_back(1);
  column.int64_values.push_back(value);
  column.value_bytes += 8;
}

void Writer::write_double(double value) {
  ColumnState& column = next_column();
  if (column.spec.type != PhysicalType::kDouble) throw std::logic_error("DOUBLE written to column " + column.spec.name);
  if (column.spec.optional) column.def_levels.push_back(1);
  column.double_values.push_back(value);
  column.value_bytes += 8;
}

void Writer::write_string(std::string_view value) {
  ColumnState& column = next_column();
  if (column.spec.type != PhysicalType::kByteArray) {
    throw std::logic_error("BYTE_ARRAY written to column " + column.spec.name);
  }
  if (column.spec.optional) column.def_levels.push_back(1);
  column.byte_data.append(value);
  column.byte_offsets.push_back(static_cast<uint32_t>(column.byte_data.size()));
  column.value_bytes += 4 + value.size();
}

void Writer::end_row() {
  if (column_cursor_ != columns_.size()) throw std::logic_error("a Parquet row ended before its last column");
  column_cursor_ = 0;
  ++rows_in_group_;
  ++rows_written_;
  size_t buffered = 0;
  for (const auto& column : columns_) buffered += column->value_bytes + column->def_levels.size() / 8;
  if (rows_in_group_ >= options_.max_row_group_rows || buffered >= options_.max_row_group_bytes ||
      columns_[0]->byte_data.size() > (size_t{1} << 31)) {
    flush_row_group();
  }
}

namespace {

// The values after which a chunk whose values are over 90% distinct gives up
// its dictionary.
constexpr size_t kDistinctProbe = 4096;

// Builds a dictionary of a chunk's values, or gives up (returns false) once
// it passes `max_bytes`, or once its first kDistinctProbe values are over
// 90% distinct: then PLAIN is smaller or about as small.
template <typename Key, typename GetKey>
bool build_dictionary(size_t value_count, GetKey get_key, size_t key_bytes_fixed, size_t max_bytes,
                      std::vector<uint32_t>& indices, std::vector<size_t>& first_of_entry) {
  std::unordered_map<Key, uint32_t> index_of;
  index_of.reserve(std::min<size_t>(value_count, 4096));
  indices.resize(value_count);
  size_t dictionary_bytes = 0;
  for (size_t value_idx = 0; value_idx < value_count; ++value_idx) {
    Key key = get_key(value_idx);
    auto [slot, inserted] = index_of.try_emplace(key, static_cast<uint32_t>(first_of_entry.size()));
    if (inserted) {
      first_of_entry.push_back(value_idx);
      if constexpr (std::is_same_v<Key, std::string_view>) {
        dictionary_bytes += 4 + key.size();
      } else {
        dictionary_bytes += key_bytes_fixed;
      }
      if (dictionary_bytes > max_bytes) return false;
    }
    indices[value_idx] = slot->second;
    // Nearly every value new so far (ids, timestamps): a dictionary would be
    // as long as the values; found after kDistinctProbe values rather than
    // after a table of the whole chunk.
    if (value_idx + 1 == kDistinctProbe && first_of_entry.size() * 10 > kDistinctProbe * 9) return false;
  }
  // A dictionary as long as the values saves nothing.
  return first_of_entry.size() < value_count || value_count == 0 ? true : value_count < 16;
}

}  // namespace

void Writer::flush_row_group() {
  if (rows_in_group_ == 0) return;
  fmt_::RowGroup group;
  group.__set_num_rows(static_cast<int64_t>(rows_in_group_));
  group.__set_file_offset(static_cast<int64_t>(file_->offset));
  int64_t group_uncompressed = 0;
  int64_t group_compressed = 0;
  std::string& page = file_->scratch;
  std::string& compressed = file_->compressed;
  std::string& header_bytes = file_->header;

  for (auto& column_ptr : columns_) {
    ColumnState& column = *column_ptr;
    const Column& spec = column.spec;
    size_t values = column.value_count();
    uint64_t chunk_start = file_->offset;
    int64_t chunk_uncompressed = 0;
    int64_t chunk_compressed = 0;

    auto write_page = [&](const fmt_::PageHeader& base_header, const std::string& body) {
      compress(options_.compression, body, compressed);
      fmt_::PageHeader header = base_header;
      header.__set_uncompressed_page_size(static_cast<int32_t>(body.size()));
      header.__set_compressed_page_size(static_cast<int32_t>(compressed.size()));
      header_bytes.clear();
      append_thrift(header, header_bytes);
      out_->write(header_bytes);
      out_->write(compressed);
      file_->offset += header_bytes.size() + compressed.size();
      chunk_uncompressed += static_cast<int64_t>(header_bytes.size() + body.size());
      chunk_compressed += static_cast<int64_t>(header_bytes.size() + compressed.size());
    };

    // Dictionary (or not) over the non-null values.
    std::vector<uint32_t> indices;
    std::vector<size_t> entries;  // value index of each dictionary entry's first use
    bool use_dictionary = false;
    if (options_.dictionary && values > 0) {
      switch (spec.type) {
        case PhysicalType::kInt32:
          use_dictionary = build_dictionary<int32_t>(
              values, [&](size_t i) { return column.int32_values[i]; }, 4, options_.max_dictionary_bytes, indices,
              entries);
          break;
        case PhysicalType::kInt64:
          use_dictionary = build_dictionary<int64_t>(
              values, [&](size_t i) { return column.int64_values[i]; }, 8, options_.max_dictionary_bytes, indices,
              entries);
          break;
        case PhysicalType::kDouble:
          // Keyed by bits: -0.0 and 0.0 stay distinct values.
          use_dictionary = build_dictionary<uint64_t>(
              values,
              [&](size_t i) {
                uint64_t bits;
                std::memcpy(&bits, &column.double_values[i], 8);
                return bits;
              },
              8, options_.max_dictionary_bytes, indices, entries);
          break;
        case PhysicalType::kByteArray:
          use_dictionary = build_dictionary<std::string_view>(
              values, [&](size_t i) { return column.bytes_at(i); }, 0, options_.max_dictionary_bytes, indices,
              entries);
          break;
      }
    }

    auto append_value = [&](size_t value_idx, std::string& out) {
      switch (spec.type) {
        case PhysicalType::kInt32: append_plain(column.int32_values[value_idx], out); break;
        case PhysicalType::kInt64: append_plain(column.int64_values[value_idx], out); break;
        case PhysicalType::kDouble: append_plain(column.double_values[value_idx], out); break;
        case PhysicalType::kByteArray: append_plain_bytes(column.bytes_at(value_idx), out); break;
      }
    };

    int64_t dictionary_offset = -1;
    if (use_dictionary) {
      dictionary_offset = static_cast<int64_t>(file_->offset);
      page.clear();
      for (size_t first : entries) append_value(first, page);
      fmt_::DictionaryPageHeader dictionary;
      dictionary.__set_num_values(static_cast<int32_t>(entries.size()));
      dictionary.__set_encoding(fmt_::Encoding::PLAIN);
      fmt_::PageHeader header;
      header.__set_type(fmt_::PageType::DICTIONARY_PAGE);
      header.__set_dictionary_page_header(dictionary);
      write_page(header, page);
    }
    int index_width = use_dictionary ? bit_width_for(static_cast<uint32_t>(entries.size() - 1)) : 0;

    // Data pages, cut by rows so that each holds about page_bytes of values.
    int64_t data_offset = static_cast<int64_t>(file_->offset);
    size_t row = 0;
    size_t value = 0;
    size_t rows = rows_in_group_;
    std::string levels;
    do {
      size_t page_rows = 0;
      size_t page_values = 0;
      size_t page_value_bytes = 0;
      while (row + page_rows < rows && (page_rows == 0 || page_value_bytes < options_.page_bytes)) {
        bool present = !spec.optional || column.def_levels[row + page_rows] == 1;
        if (present) {
          size_t value_idx = value + page_values;
          page_value_bytes += spec.type == PhysicalType::kByteArray ? 4 + column.bytes_at(value_idx).size()
                              : spec.type == PhysicalType::kInt32   ? 4
                                                                    : 8;
          ++page_values;
        }
        ++page_rows;
      }
      page.clear();
      if (spec.optional) {
        levels.clear();
        encode_rle_hybrid(column.def_levels.data() + row, page_rows, 1, levels);
        append_plain(static_cast<uint32_t>(levels.size()), page);
        page += levels;
      }
      if (use_dictionary) {
        page += static_cast<char>(index_width);
        encode_rle_hybrid(indices.data() + value, page_values, index_width, page);
      } else {
        for (size_t value_idx = value; value_idx < value + page_values; ++value_idx) append_value(value_idx, page);
      }
      fmt_::DataPageHeader data;
      data.__set_num_values(static_cast<int32_t>(page_rows));
      data.__set_encoding(use_dictionary ? fmt_::Encoding::RLE_DICTIONARY : fmt_::Encoding::PLAIN);
      data.__set_definition_level_encoding(fmt_::Encoding::RLE);
      data.__set_repetition_level_encoding(fmt_::Encoding::RLE);
      fmt_::PageHeader header;
      header.__set_type(fmt_::PageType::DATA_PAGE);
      header.__set_data_page_header(data);
      write_page(header, page);
      row += page_rows;
      value += page_values;
    } while (row < rows);

    // Chunk statistics.
    ChunkStats stats;
    switch (spec.type) {
      case PhysicalType::kInt32: stats = numeric_stats(column.int32_values); break;
      case PhysicalType::kInt64: stats = numeric_stats(column.int64_values); break;
      case PhysicalType::kDouble: stats = numeric_stats(column.double_values); break;
      case PhysicalType::kByteArray:
        for (size_t value_idx = 0; value_idx < values; ++value_idx) {
          std::string_view text = column.bytes_at(value_idx);
          // std::string_view compares as unsigned bytes, Parquet's order.
          if (!stats.has_value || text < stats.min) stats.min = text;
          if (!stats.has_value || text > stats.max) stats.max = text;
          stats.has_value = true;
        }
        break;
    }
    fmt_::Statistics statistics;
    statistics.__set_null_count(column.null_count);
    if (stats.has_value) {
      statistics.__set_min_value(stats.min);
      statistics.__set_max_value(stats.max);
      if (spec.type != PhysicalType::kByteArray) {
        // The deprecated fields, for older readers; their signed order is
        // right for numbers but not for text.
        statistics.__set_min(stats.min);
        statistics.__set_max(stats.max);
      }
    }

    fmt_::ColumnMetaData meta;
    meta.__set_type(thrift_type(spec.type));
    std::vector<fmt_::Encoding::type> encodings = {fmt_::Encoding::RLE};
    encodings.push_back(use_dictionary ? fmt_::Encoding::RLE_DICTIONARY : fmt_::Encoding::PLAIN);
    if (use_dictionary) encodings.push_back(fmt_::Encoding::PLAIN);
    meta.__set_encodings(encodings);
    meta.__set_path_in_schema({spec.name});
    meta.__set_codec(thrift_codec(options_.compression));
    meta.__set_num_values(static_cast<int64_t>(rows));
    meta.__set_total_uncompressed_size(chunk_uncompressed);
    meta.__set_total_compressed_size(chunk_compressed);
    meta.__set_data_page_offset(data_offset);
    if (dictionary_offset >= 0) meta.__set_dictionary_page_offset(dictionary_offset);
    meta.__set_statistics(statistics);
    fmt_::ColumnChunk chunk;
    chunk.__set_file_offset(static_cast<int64_t>(chunk_start));
    chunk.__set_meta_data(meta);
    group.columns.push_back(chunk);
    group_uncompressed += chunk_uncompressed;
    group_compressed += chunk_compressed;
    column.clear();
  }
  group.__set_total_byte_size(group_uncompressed);
  group.__set_total_compressed_size(group_compressed);
  group.__set_ordinal(static_cast<int16_t>(file_->row_groups.size()));
  file_->row_groups.push_back(std::move(group));
  rows_in_group_ = 0;
}

void Writer::close() {
  if (finished_) return;
  if (column_cursor_ != 0) throw std::logic_error("Parquet writer closed in the middle of a row");
  flush_row_group();
  fmt_::FileMetaData footer;
  footer.__set_version(1);
  fmt_::SchemaElement root;
  root.__set_name("schema");
  root.__set_num_children(static_cast<int32_t>(schema_.size()));
  footer.schema.push_back(root);
  std::vector<fmt_::ColumnOrder> orders;
  for (const auto& column : schema_) {
    fmt_::SchemaElement element;
    element.__set_name(column.name);
    element.__set_type(thrift_type(column.type));
    element.__set_repetition_type(column.optional ? fmt_::FieldRepetitionType::OPTIONAL
                                                  : fmt_::FieldRepetitionType::REQUIRED);
    if (column.logical == LogicalType::kString) {
      element.__set_converted_type(fmt_::ConvertedType::UTF8);
      fmt_::LogicalType logical;
      logical.__set_STRING(fmt_::StringType());
      element.__set_logicalType(logical);
    } else if (column.logical == LogicalType::kTimestampMillis) {
      element.__set_converted_type(fmt_::ConvertedType::TIMESTAMP_MILLIS);
      fmt_::TimeUnit unit;
      unit.__set_MILLIS(fmt_::MilliSeconds());
      fmt_::TimestampType timestamp;
      timestamp.__set_isAdjustedToUTC(true);
      timestamp.__set_unit(unit);
      fmt_::LogicalType logical;
      logical.__set_TIMESTAMP(timestamp);
      element.__set_logicalType(logical);
    }
    footer.schema.push_back(element);
    fmt_::ColumnOrder order;
    order.__set_TYPE_ORDER(fmt_::TypeDefinedOrder());
    orders.push_back(order);
  }
  footer.__set_num_rows(static_cast<int64_t>(rows_written_));
  footer.__set_row_groups(std::move(file_->row_groups));
  footer.__set_created_by(options_.created_by);
  footer.__set_column_orders(orders);
  std::string bytes;
  append_thrift(footer, bytes);
  append_plain(static_cast<uint32_t>(bytes.size()), bytes);
  bytes += "PAR1";
  out_->write(bytes);
  out_->close();
  finished_ = true;
}

void Writer::abort() noexcept {
  if (finished_) return;
  finished_ = true;
  if (out_) out_->abort();
}

}  // namespace sparkify::lake::parquet
