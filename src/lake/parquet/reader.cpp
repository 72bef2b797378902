#include "lake/parquet/reader.h"

#include <thrift/TConfiguration.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <algorithm>
#include <cassert>
#include <climits>
#include <cstring>
#include <limits>

#include "io/gzip.h"
#include "lake/parquet/compression.h"
#include "lake/parquet/parquet_types.h"
#include "model/error.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "PLAIN decoding assumes a little-endian host");

namespace sparkify::lake::parquet {
namespace {

namespace fmt_ = sparkify::lake::parquet::format;

// The reader's failures carry only what is wrong; read_parquet() puts the
// file's name in front.
[[noreturn]] void fail(const std::string& what) { throw JobError(what); }

// Reads one Thrift struct (compact protocol) from the front of `bytes`;
// returns the bytes it took. Thrift checks every list and string length
// against the bytes left (the message size is the buffer's), so a bad
// length fails instead of allocating.
template <typename ThriftStruct>
size_t read_thrift(std::string_view bytes, ThriftStruct& value, const std::string& what) {
  using apache::thrift::TConfiguration;
  using apache::thrift::protocol::TCompactProtocolT;
  using apache::thrift::transport::TMemoryBuffer;
  auto size = static_cast<uint32_t>(std::min<size_t>(bytes.size(), INT_MAX));
  auto config = std::make_shared<TConfiguration>(static_cast<int>(std::max<uint32_t>(size, 1)));
  try {
    auto buffer = std::make_shared<TMemoryBuffer>(reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())), size,
                                                  TMemoryBuffer::OBSERVE, config);
    TCompactProtocolT<TMemoryBuffer> protocol(buffer);
    value.read(&protocol);
    return size - buffer->available_read();
  } catch (const std::exception& error) {
    fail("unreadable " + what + " (" + error.what() + ")");
  }
}

std::string encoding_name(fmt_::Encoding::type encoding) {
  switch (encoding) {
    case fmt_::Encoding::PLAIN: return "PLAIN";
    case fmt_::Encoding::PLAIN_DICTIONARY: return "PLAIN_DICTIONARY";
    case fmt_::Encoding::RLE: return "RLE";
    case fmt_::Encoding::BIT_PACKED: return "BIT_PACKED";
    case fmt_::Encoding::DELTA_BINARY_PACKED: return "DELTA_BINARY_PACKED";
    case fmt_::Encoding::DELTA_LENGTH_BYTE_ARRAY: return "DELTA_LENGTH_BYTE_ARRAY";
    case fmt_::Encoding::DELTA_BYTE_ARRAY: return "DELTA_BYTE_ARRAY";
    case fmt_::Encoding::RLE_DICTIONARY: return "RLE_DICTIONARY";
    case fmt_::Encoding::BYTE_STREAM_SPLIT: return "BYTE_STREAM_SPLIT";
  }
  return "encoding " + std::to_string(static_cast<int>(encoding));
}

std::string type_name(fmt_::Type::type type) {
  switch (type) {
    case fmt_::Type::BOOLEAN: return "BOOLEAN";
    case fmt_::Type::INT32: return "INT32";
    case fmt_::Type::INT64: return "INT64";
    case fmt_::Type::INT96: return "INT96";
    case fmt_::Type::FLOAT: return "FLOAT";
    case fmt_::Type::DOUBLE: return "DOUBLE";
    case fmt_::Type::BYTE_ARRAY: return "BYTE_ARRAY";
    case fmt_::Type::FIXED_LEN_BYTE_ARRAY: return "FIXED_LEN_BYTE_ARRAY";
  }
  return "type " + std::to_string(static_cast<int>(type));
}

size_t value_width(PhysicalType type) {
  switch (type) {
    case PhysicalType::kInt32: return 4;
    case PhysicalType::kInt64: return 8;
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kByteArray: return 8;  // its offset
  }
  return 8;
}

// The descriptor of a leaf, or a failure naming what this reader does not
// read about it.
ColumnDescriptor describe_leaf(const fmt_::SchemaElement& element) {
  ColumnDescriptor column;
  column.name = element.name;
  const std::string where = "column " + element.name + ": ";
  if (element.__isset.num_children && element.num_children > 0) fail(where + "a nested group (only flat schemas are read)");
  if (!element.__isset.type) fail(where + "no physical type");
  if (element.__isset.repetition_type && element.repetition_type == fmt_::FieldRepetitionType::REPEATED) {
    fail(where + "REPEATED (only flat schemas are read)");
  }
  column.optional = element.__isset.repetition_type && element.repetition_type == fmt_::FieldRepetitionType::OPTIONAL;

  // What the annotations say, the logical type first (it is the newer).
  enum class Kind { kPlain, kString, kTimestamp, kSignedInt, kRefused } kind = Kind::kPlain;
  std::string refused;
  if (element.__isset.logicalType) {
    const fmt_::LogicalType& logical = element.logicalType;
    if (logical.__isset.STRING || logical.__isset.ENUM || logical.__isset.JSON) {
      kind = Kind::kString;
    } else if (logical.__isset.TIMESTAMP) {
      kind = Kind::kTimestamp;
      const fmt_::TimeUnit& unit = logical.TIMESTAMP.unit;
      if (unit.__isset.MILLIS) {
        column.timestamp_unit = TimeUnit::kMillis;
      } else if (unit.__isset.MICROS) {
        column.timestamp_unit = TimeUnit::kMicros;
      } else {
        kind = Kind::kRefused;
        refused = unit.__isset.NANOS ? "a TIMESTAMP in nanoseconds" : "a TIMESTAMP of an unknown unit";
      }
      column.adjusted_to_utc = logical.TIMESTAMP.isAdjustedToUTC;
    } else if (logical.__isset.INTEGER) {
      kind = logical.INTEGER.isSigned ? Kind::kSignedInt : Kind::kRefused;
      refused = "an unsigned INTEGER";
    } else if (logical.__isset.UNKNOWN) {
      kind = Kind::kPlain;  // always NULL: read as its physical type
    } else {
      kind = Kind::kRefused;
      refused = logical.__isset.DECIMAL ? "DECIMAL"
                : logical.__isset.DATE  ? "DATE"
                : logical.__isset.TIME  ? "TIME"
                : logical.__isset.BSON  ? "BSON"
                : logical.__isset.UUID  ? "UUID"
                                        : "a logical type this reader does not know";
    }
  } else if (element.__isset.converted_type) {
    switch (element.converted_type) {
      case fmt_::ConvertedType::UTF8:
      case fmt_::ConvertedType::ENUM:
      case fmt_::ConvertedType::JSON: kind = Kind::kString; break;
      case fmt_::ConvertedType::TIMESTAMP_MILLIS:
      case fmt_::ConvertedType::TIMESTAMP_MICROS:
        kind = Kind::kTimestamp;
        column.timestamp_unit = element.converted_type == fmt_::ConvertedType::TIMESTAMP_MILLIS ? TimeUnit::kMillis
                                                                                                  : TimeUnit::kMicros;
        column.adjusted_to_utc = true;  // what the converted types always meant
        break;
      case fmt_::ConvertedType::INT_8:
      case fmt_::ConvertedType::INT_16:
      case fmt_::ConvertedType::INT_32:
      case fmt_::ConvertedType::INT_64: kind = Kind::kSignedInt; break;
      case fmt_::ConvertedType::UINT_8:
      case fmt_::ConvertedType::UINT_16:
      case fmt_::ConvertedType::UINT_32:
      case fmt_::ConvertedType::UINT_64:
        kind = Kind::kRefused;
        refused = "an unsigned INTEGER";
        break;
      case fmt_::ConvertedType::DECIMAL: kind = Kind::kRefused; refused = "DECIMAL"; break;
      case fmt_::ConvertedType::DATE: kind = Kind::kRefused; refused = "DATE"; break;
      case fmt_::ConvertedType::TIME_MILLIS:
      case fmt_::ConvertedType::TIME_MICROS: kind = Kind::kRefused; refused = "TIME"; break;
      case fmt_::ConvertedType::INTERVAL: kind = Kind::kRefused; refused = "INTERVAL"; break;
      case fmt_::ConvertedType::BSON: kind = Kind::kRefused; refused = "BSON"; break;
      default:
        kind = Kind::kRefused;
        refused = "converted type " + std::to_string(static_cast<int>(element.converted_type));
    }
  }
  if (kind == Kind::kRefused) fail(where + refused + " is not read");

  auto mismatch = [&](const char* annotation) {
    fail(where + annotation + " on " + type_name(element.type) + " is not read");
  };
  switch (element.type) {
    case fmt_::Type::INT32:
      column.type = PhysicalType::kInt32;
      if (kind == Kind::kString) mismatch("STRING");
      if (kind == Kind::kTimestamp) mismatch("TIMESTAMP");
      break;
    case fmt_::Type::INT64:
      column.type = PhysicalType::kInt64;
      if (kind == Kind::kString) mismatch("STRING");
      break;
    case fmt_::Type::DOUBLE:
      column.type = PhysicalType::kDouble;
      if (kind != Kind::kPlain) mismatch("an annotation");
      break;
    case fmt_::Type::BYTE_ARRAY:
      column.type = PhysicalType::kByteArray;
      if (kind == Kind::kTimestamp || kind == Kind::kSignedInt) mismatch("an integer annotation");
      column.is_string = kind == Kind::kString;
      break;
    default: fail(where + "physical type " + type_name(element.type) + " is not read");
  }
  return column;
}

// A decoder of the RLE / bit-packing hybrid (definition levels, dictionary
// indices) over bytes it never reads past.
class HybridDecoder {
 public:
  HybridDecoder(std::string_view data, int bit_width) : data_(data), bit_width_(bit_width) {}

  // The next `count` values into `out`; fails when the data end first or
  // a run is malformed.
  void decode(uint32_t* out, size_t count) {
    while (count > 0) {
      if (repeat_left_ > 0) {
        size_t take = std::min<uint64_t>(repeat_left_, count);
        std::fill_n(out, take, repeat_value_);
        out += take;
        count -= take;
        repeat_left_ -= take;
        continue;
      }
      if (packed_left_ > 0) {
        size_t take = std::min<uint64_t>(packed_left_, count);
        unpack(out, take);
        out += take;
        count -= take;
        packed_left_ -= take;
        continue;
      }
      next_run();
    }
  }

  size_t consumed() const { return position_; }

 private:
  uint64_t read_varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position_ >= data_.size()) fail("a run header past the end of its data");
      auto byte = static_cast<unsigned char>(data_[position_++]);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    fail("a run header longer than 64 bits");
  }

  void next_run() {
    uint64_t header = read_varint();
    uint64_t length = header >> 1;
    if (length == 0) fail("an empty run");
    if (header & 1) {
      // `length` groups of 8 values, bit_width bytes a group.
      size_t left = data_.size() - position_;
      if (bit_width_ > 0 ? length > left / static_cast<size_t>(bit_width_) : length > (uint64_t{1} << 40)) {
        fail("a bit-packed run past the end of its data");
      }
      packed_start_ = position_;
      packed_index_ = 0;
      packed_left_ = length * 8;
      position_ += static_cast<size_t>(length) * static_cast<size_t>(bit_width_);
    } else {
      size_t value_bytes = (static_cast<size_t>(bit_width_) + 7) / 8;
      if (value_bytes > data_.size() - position_) fail("an RLE run past the end of its data");
      uint64_t value = 0;
      for (size_t byte_idx = 0; byte_idx < value_bytes; ++byte_idx) {
        value |= static_cast<uint64_t>(static_cast<unsigned char>(data_[position_ + byte_idx])) << (8 * byte_idx);
      }
      position_ += value_bytes;
      if (bit_width_ < 32 && (value >> bit_width_) != 0) fail("an RLE value wider than its bit width");
      repeat_value_ = static_cast<uint32_t>(value);
      repeat_left_ = length;
    }
  }

  // `count` values of the current bit-packed run, least significant bit
  // first. Each value spans at most 5 bytes; a window of 8 is loaded,
  // through a zeroed copy near the run's end.
  void unpack(uint32_t* out, size_t count) {
    const uint64_t mask = bit_width_ == 32 ? 0xffffffffu : (uint64_t{1} << bit_width_) - 1;
    const size_t run_end = packed_start_ + static_cast<size_t>((packed_index_ + packed_left_) / 8) * bit_width_;
    for (size_t value_idx = 0; value_idx < count; ++value_idx, ++packed_index_) {
      if (bit_width_ == 0) {
        out[value_idx] = 0;
        continue;
      }
      uint64_t bit = packed_index_ * static_cast<uint64_t>(bit_width_);
      size_t byte = packed_start_ + static_cast<size_t>(bit / 8);
      uint64_t window = 0;
      std::memcpy(&window, data_.data() + byte, std::min<size_t>(8, run_end - byte));
      out[value_idx] = static_cast<uint32_t>((window >> (bit % 8)) & mask);
    }
  }

  std::string_view data_;
  int bit_width_;
  size_t position_ = 0;
  uint64_t repeat_left_ = 0;
  uint32_t repeat_value_ = 0;
  uint64_t packed_left_ = 0;
  uint64_t packed_index_ = 0;
  size_t packed_start_ = 0;
};

template <typename T>
T load(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

uint64_t read_uleb(std::string_view data, size_t& position) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (position >= data.size()) fail("DELTA values end inside a number");
    auto byte = static_cast<unsigned char>(data[position++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  fail("DELTA values hold a number longer than 64 bits");
}

int64_t read_zigzag(std::string_view data, size_t& position) {
  uint64_t value = read_uleb(data, position);
  return static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

// DELTA_BINARY_PACKED: `count` integers (wrapping 64-bit arithmetic; an
// INT32 column keeps the low 32 bits) from the front of `data`; returns
// the bytes they took.
size_t decode_delta_binary_packed(std::string_view data, size_t count, std::vector<uint64_t>& out) {
  size_t position = 0;
  uint64_t block_size = read_uleb(data, position);
  uint64_t miniblocks = read_uleb(data, position);
  uint64_t total = read_uleb(data, position);
  uint64_t value = static_cast<uint64_t>(read_zigzag(data, position));
  if (block_size == 0 || block_size % 128 != 0 || block_size > (uint64_t{1} << 20) || miniblocks == 0 ||
      block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    fail("DELTA_BINARY_PACKED blocks of " + std::to_string(block_size) + " values in " +
         std::to_string(miniblocks) + " miniblocks");
  }
  if (total != count) fail("DELTA_BINARY_PACKED holds " + std::to_string(total) + " values for " + std::to_string(count));
  const size_t per_miniblock = static_cast<size_t>(block_size / miniblocks);
  out.clear();
  out.reserve(count);
  if (count > 0) out.push_back(value);
  while (out.size() < count) {
    uint64_t min_delta = static_cast<uint64_t>(read_zigzag(data, position));
    if (data.size() - position < miniblocks) fail("DELTA_BINARY_PACKED bit widths past the end of the page");
    std::string_view widths = data.substr(position, static_cast<size_t>(miniblocks));
    position += widths.size();
    for (size_t miniblock_idx = 0; miniblock_idx < widths.size() && out.size() < count; ++miniblock_idx) {
      int width = static_cast<unsigned char>(widths[miniblock_idx]);
      if (width > 64) fail("a DELTA_BINARY_PACKED miniblock " + std::to_string(width) + " bits wide");
      size_t bytes = per_miniblock * static_cast<size_t>(width) / 8;
      if (data.size() - position < bytes) fail("a DELTA_BINARY_PACKED miniblock past the end of the page");
      const auto* packed = reinterpret_cast<const unsigned char*>(data.data() + position);
      size_t take = std::min(per_miniblock, count - out.size());
      for (size_t value_idx = 0; value_idx < take; ++value_idx) {
        uint64_t delta = 0;
        uint64_t bit = static_cast<uint64_t>(value_idx) * static_cast<uint64_t>(width);
        for (int got = 0; got < width;) {
          int shift = static_cast<int>(bit % 8);
          delta |= static_cast<uint64_t>(packed[bit / 8] >> shift) << got;
          got += 8 - shift;
          bit += static_cast<uint64_t>(8 - shift);
        }
        if (width < 64) delta &= (uint64_t{1} << width) - 1;
        value += min_delta + delta;
        out.push_back(value);
      }
      position += bytes;
    }
  }
  return position;
}

}  // namespace

int64_t ColumnData::epoch_ms_at(size_t row) const {
  assert(descriptor_.timestamp_unit.has_value());
  int64_t value = int64s_[row];
  if (descriptor_.timestamp_unit != TimeUnit::kMicros) return value;
  return value / 1000 - (value % 1000 < 0 ? 1 : 0);
}

const ColumnData* ParquetTable::find(std::string_view name) const {
  for (const auto& column : columns) {
    if (column.name() == name) return &column;
  }
  return nullptr;
}

// Appends the pages of a column's chunks to its ColumnData, charging what
// it decodes to the file's budget.
class ColumnBuilder {
 public:
  ColumnBuilder(ColumnData& column, ColumnDescriptor descriptor, uint64_t& budget_left)
      : column_(column), budget_left_(budget_left) {
    column_.descriptor_ = std::move(descriptor);
  }

  void charge(uint64_t bytes) {
    if (bytes > budget_left_) fail("the decoded data would pass the reader's limit (ReadOptions::max_decoded_bytes)");
    budget_left_ -= bytes;
  }

  void reserve(uint64_t rows) {
    switch (column_.descriptor_.type) {
      case PhysicalType::kInt32: column_.int32s_.reserve(rows); break;
      case PhysicalType::kInt64: column_.int64s_.reserve(rows); break;
      case PhysicalType::kDouble: column_.doubles_.reserve(rows); break;
      case PhysicalType::kByteArray:
        column_.offsets_.reserve(rows + 1);
        if (column_.offsets_.empty()) column_.offsets_.push_back(0);
        break;
    }
  }

  // The dictionary of the chunk being read: PLAIN values, kept as they lie
  // in the page (which `page` keeps alive).
  void set_dictionary(std::string page, size_t count) {
    dictionary_page_ = std::move(page);
    dictionary_count_ = count;
    dictionary_spans_.clear();
    if (column_.descriptor_.type == PhysicalType::kByteArray) {
      size_t position = 0;
      for (size_t entry_idx = 0; entry_idx < count; ++entry_idx) {
        if (dictionary_page_.size() - position < 4) fail("the dictionary ends inside an entry");
        uint32_t length = load<uint32_t>(dictionary_page_.data() + position);
        position += 4;
        if (length > dictionary_page_.size() - position) fail("a dictionary entry runs past its page");
        dictionary_spans_.push_back({position, length});
        position += length;
      }
    } else if (count > dictionary_page_.size() / value_width(column_.descriptor_.type)) {
      fail("the dictionary ends inside an entry");
    }
    has_dictionary_ = true;
  }
  void clear_dictionary() {
    has_dictionary_ = false;
    dictionary_page_.clear();
    dictionary_spans_.clear();
    dictionary_count_ = 0;
  }

  // One data page: `rows` rows whose definition levels are `defined` (1 =
  // a value; nullptr for no NULL), values in `values` encoded as
  // `encoding`.
  void append_page(size_t rows, const uint8_t* defined, std::string_view values, fmt_::Encoding::type encoding) {
    if (rows == 0) return;
    size_t present = rows;
    if (defined) present = static_cast<size_t>(std::count(defined, defined + rows, uint8_t{1}));
    append_nulls(rows, defined, present);
    if (encoding == fmt_::Encoding::PLAIN) {
      append_plain(rows, defined, present, values);
    } else if (encoding == fmt_::Encoding::RLE_DICTIONARY || encoding == fmt_::Encoding::PLAIN_DICTIONARY) {
      append_dictionary(rows, defined, present, values);
    } else if (encoding == fmt_::Encoding::DELTA_BINARY_PACKED && type() != PhysicalType::kByteArray &&
               type() != PhysicalType::kDouble) {
      append_delta_integers(rows, defined, present, values);
    } else if (encoding == fmt_::Encoding::BYTE_STREAM_SPLIT && type() != PhysicalType::kByteArray) {
      append_byte_stream_split(rows, defined, present, values);
    } else if ((encoding == fmt_::Encoding::DELTA_LENGTH_BYTE_ARRAY || encoding == fmt_::Encoding::DELTA_BYTE_ARRAY) &&
               type() == PhysicalType::kByteArray) {
      append_delta_byte_arrays(rows, defined, present, values, encoding == fmt_::Encoding::DELTA_BYTE_ARRAY);
    } else {
      fail("values encoded " + encoding_name(encoding) + ", which is not read");
    }
    column_.rows_ += rows;
  }

 private:
  PhysicalType type() const { return column_.descriptor_.type; }

  void append_delta_integers(size_t rows, const uint8_t* defined, size_t present, std::string_view values) {
    std::vector<uint64_t> decoded;
    decode_delta_binary_packed(values, present, decoded);
    if (type() == PhysicalType::kInt32) {
      std::vector<int32_t> narrow(present);
      for (size_t value_idx = 0; value_idx < present; ++value_idx) {
        narrow[value_idx] = static_cast<int32_t>(static_cast<uint32_t>(decoded[value_idx]));
      }
      return scatter(column_.int32s_, rows, defined, present, narrow.data());
    }
    std::vector<int64_t> wide(present);
    std::memcpy(wide.data(), decoded.data(), present * sizeof(int64_t));
    scatter(column_.int64s_, rows, defined, present, wide.data());
  }

  template <typename T>
  void append_split(std::vector<T>& out, size_t rows, const uint8_t* defined, size_t present,
                    std::string_view values) {
    if (values.size() / sizeof(T) < present) fail("BYTE_STREAM_SPLIT values run past the page");
    std::vector<T> joined(present);
    auto* bytes = reinterpret_cast<unsigned char*>(joined.data());
    for (size_t value_idx = 0; value_idx < present; ++value_idx) {
      for (size_t stream_idx = 0; stream_idx < sizeof(T); ++stream_idx) {
        bytes[value_idx * sizeof(T) + stream_idx] = static_cast<unsigned char>(values[stream_idx * present + value_idx]);
      }
    }
    scatter(out, rows, defined, present, joined.data());
  }

  void append_byte_stream_split(size_t rows, const uint8_t* defined, size_t present, std::string_view values) {
    switch (type()) {
      case PhysicalType::kInt32: return append_split(column_.int32s_, rows, defined, present, values);
      case PhysicalType::kInt64: return append_split(column_.int64s_, rows, defined, present, values);
      case PhysicalType::kDouble: return append_split(column_.doubles_, rows, defined, present, values);
      case PhysicalType::kByteArray: break;
    }
  }

  // DELTA_LENGTH_BYTE_ARRAY: the lengths (DELTA_BINARY_PACKED), then the
  // bytes back to back. DELTA_BYTE_ARRAY: the lengths of the prefixes shared
  // with the previous value, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
  void append_delta_byte_arrays(size_t rows, const uint8_t* defined, size_t present, std::string_view values,
                                bool with_prefixes) {
    std::vector<uint64_t> prefixes;
    if (with_prefixes) values.remove_prefix(decode_delta_binary_packed(values, present, prefixes));
    std::vector<uint64_t> lengths;
    values.remove_prefix(decode_delta_binary_packed(values, present, lengths));
    size_t previous_start = 0;
    size_t previous_size = 0;
    std::vector<std::pair<size_t, uint32_t>> spans(present);
    std::string assembled;  // DELTA_BYTE_ARRAY: the values, rebuilt
    size_t position = 0;
    uint64_t total = 0;
    for (size_t value_idx = 0; value_idx < present; ++value_idx) {
      uint64_t length = lengths[value_idx];
      if (length > values.size() - position) fail("a DELTA byte array runs past the page");
      if (!with_prefixes) {
        spans[value_idx] = {position, static_cast<uint32_t>(length)};
        total += length;
      } else {
        uint64_t prefix = prefixes[value_idx];
        if (prefix > previous_size) fail("a DELTA_BYTE_ARRAY prefix longer than the value before it");
        uint64_t size = prefix + length;
        if (size > UINT32_MAX) fail("a DELTA_BYTE_ARRAY value over 4 GiB");
        charge(size);
        size_t start = assembled.size();
        // Through a copy: appending part of a string to itself may move it.
        std::string shared = assembled.substr(previous_start, static_cast<size_t>(prefix));
        assembled.append(shared);
        assembled.append(values.substr(position, static_cast<size_t>(length)));
        previous_start = start;
        previous_size = static_cast<size_t>(size);
        spans[value_idx] = {start, static_cast<uint32_t>(size)};
      }
      position += static_cast<size_t>(length);
    }
    if (!with_prefixes) {
      charge(total);
      return append_spans(rows, defined, present, values.data(), spans.data());
    }
    append_spans(rows, defined, present, assembled.data(), spans.data());
  }

  void append_nulls(size_t rows, const uint8_t* defined, size_t present) {
    auto& nulls = column_.nulls_;
    if (present < rows) {
      if (nulls.empty()) nulls.assign(column_.rows_, 0);
      nulls.reserve(column_.rows_ + rows);
      for (size_t row_idx = 0; row_idx < rows; ++row_idx) nulls.push_back(defined[row_idx] ? 0 : 1);
      column_.null_count_ += rows - present;
    } else if (!nulls.empty()) {
      nulls.resize(nulls.size() + rows, 0);
    }
  }

  template <typename T>
  void scatter(std::vector<T>& out, size_t rows, const uint8_t* defined, size_t present, const T* values) {
    size_t base = out.size();
    out.resize(base + rows);
    if (present == rows) {
      std::memcpy(out.data() + base, values, rows * sizeof(T));
      return;
    }
    size_t value_idx = 0;
    for (size_t row_idx = 0; row_idx < rows; ++row_idx) {
      if (defined[row_idx]) std::memcpy(&out[base + row_idx], &values[value_idx++], sizeof(T));
    }
  }

  template <typename T>
  void append_fixed_plain(std::vector<T>& out, size_t rows, const uint8_t* defined, size_t present,
                          std::string_view values) {
    if (present > values.size() / sizeof(T)) fail("PLAIN values run past the page");
    // The page's bytes need not be aligned for T: copy through a buffer.
    std::vector<T> aligned(present);
    if (present > 0) std::memcpy(aligned.data(), values.data(), present * sizeof(T));
    scatter(out, rows, defined, present, aligned.data());
  }

  void append_plain(size_t rows, const uint8_t* defined, size_t present, std::string_view values) {
    switch (column_.descriptor_.type) {
      case PhysicalType::kInt32: return append_fixed_plain(column_.int32s_, rows, defined, present, values);
      case PhysicalType::kInt64: return append_fixed_plain(column_.int64s_, rows, defined, present, values);
      case PhysicalType::kDouble: return append_fixed_plain(column_.doubles_, rows, defined, present, values);
      case PhysicalType::kByteArray: break;
    }
    // Lengths first (checked and charged), then the bytes.
    std::vector<std::pair<size_t, uint32_t>> spans(present);
    size_t position = 0;
    uint64_t total = 0;
    for (auto& span : spans) {
      if (values.size() - position < 4) fail("PLAIN values run past the page");
      uint32_t length = load<uint32_t>(values.data() + position);
      position += 4;
      if (length > values.size() - position) fail("a PLAIN byte array runs past the page");
      span = {position, length};
      position += length;
      total += length;
    }
    charge(total);
    append_spans(rows, defined, present, values.data(), spans.data());
  }

  // Byte arrays at data + span.first, span.second long, one per present row.
  void append_spans(size_t rows, const uint8_t* defined, size_t present, const char* data,
                    const std::pair<size_t, uint32_t>* spans) {
    auto& bytes = column_.bytes_;
    auto& offsets = column_.offsets_;
    if (offsets.empty()) offsets.push_back(0);
    offsets.reserve(offsets.size() + rows);
    size_t value_idx = 0;
    for (size_t row_idx = 0; row_idx < rows; ++row_idx) {
      if (present == rows || defined[row_idx]) {
        const auto& span = spans[value_idx++];
        bytes.append(data + span.first, span.second);
      }
      offsets.push_back(bytes.size());
    }
  }

  void append_dictionary(size_t rows, const uint8_t* defined, size_t present, std::string_view values) {
    if (present == 0) {
      append_fixed_or_spans_of_nothing(rows, defined);
      return;
    }
    if (!has_dictionary_) fail("dictionary-encoded values without a dictionary page");
    if (values.empty()) fail("no bit width before the dictionary indices");
    int bit_width = static_cast<unsigned char>(values[0]);
    if (bit_width > 32) fail("dictionary indices " + std::to_string(bit_width) + " bits wide");
    std::vector<uint32_t> indices(present);
    HybridDecoder decoder(values.substr(1), bit_width);
    decoder.decode(indices.data(), present);
    for (uint32_t index : indices) {
      if (index >= dictionary_count_) {
        fail("dictionary index " + std::to_string(index) + " past the dictionary's " +
             std::to_string(dictionary_count_) + " entries");
      }
    }
    switch (column_.descriptor_.type) {
      case PhysicalType::kInt32: return gather(column_.int32s_, rows, defined, present, indices);
      case PhysicalType::kInt64: return gather(column_.int64s_, rows, defined, present, indices);
      case PhysicalType::kDouble: return gather(column_.doubles_, rows, defined, present, indices);
      case PhysicalType::kByteArray: break;
    }
    std::vector<std::pair<size_t, uint32_t>> spans(present);
    uint64_t total = 0;
    for (size_t value_idx = 0; value_idx < present; ++value_idx) {
      spans[value_idx] = dictionary_spans_[indices[value_idx]];
      total += spans[value_idx].second;
    }
    charge(total);
    append_spans(rows, defined, present, dictionary_page_.data(), spans.data());
  }

  template <typename T>
  void gather(std::vector<T>& out, size_t rows, const uint8_t* defined, size_t present,
              const std::vector<uint32_t>& indices) {
    std::vector<T> values(present);
    for (size_t value_idx = 0; value_idx < present; ++value_idx) {
      values[value_idx] = load<T>(dictionary_page_.data() + static_cast<size_t>(indices[value_idx]) * sizeof(T));
    }
    scatter(out, rows, defined, present, values.data());
  }

  // A page of NULLs only.
  void append_fixed_or_spans_of_nothing(size_t rows, const uint8_t* defined) {
    switch (column_.descriptor_.type) {
      case PhysicalType::kInt32: return column_.int32s_.resize(column_.int32s_.size() + rows, 0);
      case PhysicalType::kInt64: return column_.int64s_.resize(column_.int64s_.size() + rows, 0);
      case PhysicalType::kDouble: return column_.doubles_.resize(column_.doubles_.size() + rows, 0.0);
      case PhysicalType::kByteArray: return append_spans(rows, defined, 0, nullptr, nullptr);
    }
  }

  ColumnData& column_;
  uint64_t& budget_left_;
  bool has_dictionary_ = false;
  std::string dictionary_page_;
  size_t dictionary_count_ = 0;
  std::vector<std::pair<size_t, uint32_t>> dictionary_spans_;  // byte arrays: where each entry lies in the page
};

namespace {

std::optional<Compression> codec_of(fmt_::CompressionCodec::type codec) {
  switch (codec) {
    case fmt_::CompressionCodec::UNCOMPRESSED: return Compression::kNone;
    case fmt_::CompressionCodec::SNAPPY: return Compression::kSnappy;
    case fmt_::CompressionCodec::ZSTD: return Compression::kZstd;
    default: return std::nullopt;
  }
}

class FileReader {
 public:
  FileReader(std::string_view bytes, const ReadOptions& options)
      : file_(bytes), budget_left_(options.max_decoded_bytes) {}

  // Reads and checks the footer; after it, data_end_ is where the column
  // chunks must end.
  void read_footer() {
    if (file_.size() < 12) fail("not a Parquet file (" + std::to_string(file_.size()) + " bytes)");
    if (file_.substr(0, 4) != "PAR1") fail("not a Parquet file (no PAR1 at the start)");
    if (file_.substr(file_.size() - 4) != "PAR1") fail("not a whole Parquet file (no PAR1 at the end: truncated?)");
    uint32_t footer_length = load<uint32_t>(file_.data() + file_.size() - 8);
    if (footer_length > file_.size() - 12) fail("a footer length of " + std::to_string(footer_length) + " bytes, longer than the file");
    data_end_ = file_.size() - 8 - footer_length;
    read_thrift(file_.substr(data_end_, footer_length), metadata_, "footer");

    const auto& schema = metadata_.schema;
    if (schema.empty()) fail("a footer without a schema");
    if (!schema[0].__isset.num_children || schema[0].num_children != static_cast<int32_t>(schema.size() - 1)) {
      fail("a nested schema (only flat schemas are read)");
    }
    for (size_t leaf_idx = 1; leaf_idx < schema.size(); ++leaf_idx) leaves_.push_back(describe_leaf(schema[leaf_idx]));
    if (metadata_.num_rows < 0) fail("a negative row count");
    int64_t rows = 0;
    for (size_t group_idx = 0; group_idx < metadata_.row_groups.size(); ++group_idx) {
      const auto& group = metadata_.row_groups[group_idx];
      if (group.num_rows < 0 || group.num_rows > metadata_.num_rows - rows) {
        fail("row group " + std::to_string(group_idx) + ": a row count that does not add up to the file's");
      }
      rows += group.num_rows;
      if (group.columns.size() != leaves_.size()) {
        fail("row group " + std::to_string(group_idx) + ": " + std::to_string(group.columns.size()) +
             " column chunks for " + std::to_string(leaves_.size()) + " columns");
      }
    }
    if (rows != metadata_.num_rows) fail("row groups of " + std::to_string(rows) + " rows in a file of " + std::to_string(metadata_.num_rows));
  }

  const std::vector<ColumnDescriptor>& leaves() const { return leaves_; }

  ParquetTable read(const std::vector<std::string>& names) {
    std::vector<size_t> picked;
    if (names.empty()) {
      for (size_t leaf_idx = 0; leaf_idx < leaves_.size(); ++leaf_idx) picked.push_back(leaf_idx);
    } else {
      for (const auto& name : names) {
        auto found = std::find_if(leaves_.begin(), leaves_.end(), [&](const auto& leaf) { return leaf.name == name; });
        if (found == leaves_.end()) fail("no column " + name);
        picked.push_back(static_cast<size_t>(found - leaves_.begin()));
      }
    }
    ParquetTable table;
    table.rows = static_cast<uint64_t>(metadata_.num_rows);
    table.created_by = metadata_.created_by;
    table.columns.resize(picked.size());
    for (size_t pick_idx = 0; pick_idx < picked.size(); ++pick_idx) {
      size_t leaf_idx = picked[pick_idx];
      ColumnData& column = table.columns[pick_idx];
      ColumnBuilder builder(column, leaves_[leaf_idx], budget_left_);
      // The fixed part of every row, before anything is allocated for it.
      uint64_t row_bytes = value_width(leaves_[leaf_idx].type) + (leaves_[leaf_idx].optional ? 1 : 0);
      if (table.rows > budget_left_ / row_bytes) builder.charge(UINT64_MAX);  // fails, without overflowing
      builder.charge(table.rows * row_bytes);
      builder.reserve(table.rows);
      for (size_t group_idx = 0; group_idx < metadata_.row_groups.size(); ++group_idx) {
        const auto& group = metadata_.row_groups[group_idx];
        where_ = "row group " + std::to_string(group_idx) + ", column " + leaves_[leaf_idx].name;
        try {
          read_chunk(group.columns[leaf_idx], leaf_idx, group.num_rows, builder);
        } catch (const JobError& error) {
          fail(where_ + ": " + error.what());
        }
      }
    }
    return table;
  }

 private:
  void read_chunk(const fmt_::ColumnChunk& chunk, size_t leaf_idx, int64_t group_rows, ColumnBuilder& builder) {
    if (chunk.__isset.file_path && !chunk.file_path.empty()) fail("column data in another file (" + chunk.file_path + ")");
    if (!chunk.__isset.meta_data) fail("no column metadata");
    const fmt_::ColumnMetaData& meta = chunk.meta_data;
    const fmt_::SchemaElement& element = metadata_.schema[leaf_idx + 1];
    if (meta.type != element.type) fail("a chunk of " + type_name(meta.type) + " in a column of " + type_name(element.type));
    if (meta.path_in_schema != std::vector<std::string>{element.name}) fail("a chunk whose path is not its column's");
    if (meta.num_values != group_rows) {
      fail(std::to_string(meta.num_values) + " values in a row group of " + std::to_string(group_rows) + " rows");
    }
    std::optional<Compression> codec = codec_of(meta.codec);
    bool gzip = meta.codec == fmt_::CompressionCodec::GZIP;
    if (!codec && !gzip) fail("compression codec " + std::to_string(static_cast<int>(meta.codec)) + ", which is not read");

    int64_t start = meta.data_page_offset;
    if (meta.__isset.dictionary_page_offset && meta.dictionary_page_offset > 0 &&
        meta.dictionary_page_offset < meta.data_page_offset) {
      start = meta.dictionary_page_offset;
    }
    if (start < 4 || static_cast<uint64_t>(start) > data_end_ || meta.total_compressed_size < 0 ||
        static_cast<uint64_t>(meta.total_compressed_size) > data_end_ - static_cast<uint64_t>(start)) {
      fail("a column chunk outside the file's data (bytes " + std::to_string(start) + " + " +
           std::to_string(meta.total_compressed_size) + " of " + std::to_string(data_end_) + ")");
    }
    const size_t chunk_end = static_cast<size_t>(start + meta.total_compressed_size);
    size_t position = static_cast<size_t>(start);

    const bool optional = leaves_[leaf_idx].optional;
    builder.clear_dictionary();
    bool data_seen = false;
    int64_t rows_read = 0;
    std::string page;
    std::vector<uint32_t> levels;
    std::vector<uint8_t> defined;
    while (rows_read < group_rows) {
      const std::string page_where = "page at byte " + std::to_string(position);
      if (position >= chunk_end) fail(page_where + ": the chunk ends after " + std::to_string(rows_read) + " of its " + std::to_string(group_rows) + " rows");
      fmt_::PageHeader header;
      position += read_thrift(file_.substr(position, chunk_end - position), header, page_where + ": page header");
      if (header.compressed_page_size < 0 || static_cast<size_t>(header.compressed_page_size) > chunk_end - position) {
        fail(page_where + ": a page of " + std::to_string(header.compressed_page_size) + " bytes runs past its chunk");
      }
      if (header.uncompressed_page_size < 0) fail(page_where + ": a negative uncompressed size");
      if (static_cast<uint64_t>(header.uncompressed_page_size) > budget_left_) {
        fail(page_where + ": " + std::to_string(header.uncompressed_page_size) +
             " bytes uncompressed would pass the reader's limit (ReadOptions::max_decoded_bytes)");
      }
      std::string_view body = file_.substr(position, static_cast<size_t>(header.compressed_page_size));
      position += body.size();
      auto uncompressed_size = static_cast<size_t>(header.uncompressed_page_size);
      try {
        switch (header.type) {
          case fmt_::PageType::DICTIONARY_PAGE: {
            if (data_seen) fail("a dictionary page after data pages");
            if (!header.__isset.dictionary_page_header) fail("no dictionary page header");
            const auto& dictionary = header.dictionary_page_header;
            if (dictionary.encoding != fmt_::Encoding::PLAIN && dictionary.encoding != fmt_::Encoding::PLAIN_DICTIONARY) {
              fail("a dictionary encoded " + encoding_name(dictionary.encoding) + ", which is not read");
            }
            if (dictionary.num_values < 0) fail("a negative dictionary size");
            decompress_into(meta.codec, body, uncompressed_size, page);
            builder.set_dictionary(std::move(page), static_cast<size_t>(dictionary.num_values));
            page = std::string();
            break;
          }
          case fmt_::PageType::DATA_PAGE: {
            data_seen = true;
            if (!header.__isset.data_page_header) fail("no data page header");
            const auto& data = header.data_page_header;
            if (data.num_values < 0 || data.num_values > group_rows - rows_read) {
              fail(std::to_string(data.num_values) + " values where " + std::to_string(group_rows - rows_read) + " rows are left");
            }
            auto rows = static_cast<size_t>(data.num_values);
            decompress_into(meta.codec, body, uncompressed_size, page);
            std::string_view rest(page);
            const uint8_t* defined_ptr = nullptr;
            if (optional) {
              if (data.definition_level_encoding != fmt_::Encoding::RLE) {
                fail("definition levels encoded " + encoding_name(data.definition_level_encoding) + ", which is not read");
              }
              if (rest.size() < 4) fail("the page ends before its definition levels");
              uint32_t length = load<uint32_t>(rest.data());
              rest.remove_prefix(4);
              if (length > rest.size()) fail("definition levels run past the page");
              defined_ptr = decode_levels(rest.substr(0, length), rows, levels, defined);
              rest.remove_prefix(length);
            }
            builder.append_page(rows, defined_ptr, rest, data.encoding);
            rows_read += data.num_values;
            break;
          }
          case fmt_::PageType::DATA_PAGE_V2: {
            data_seen = true;
            if (!header.__isset.data_page_header_v2) fail("no data page v2 header");
            const auto& data = header.data_page_header_v2;
            if (data.num_values < 0 || data.num_values > group_rows - rows_read || data.num_rows != data.num_values) {
              fail(std::to_string(data.num_values) + " values in " + std::to_string(data.num_rows) + " rows where " +
                   std::to_string(group_rows - rows_read) + " rows are left");
            }
            if (data.repetition_levels_byte_length != 0) fail("repetition levels in a flat column");
            if (data.definition_levels_byte_length < 0 ||
                static_cast<size_t>(data.definition_levels_byte_length) > body.size() ||
                data.definition_levels_byte_length > header.uncompressed_page_size) {
              fail("definition levels run past the page");
            }
            auto rows = static_cast<size_t>(data.num_values);
            auto levels_size = static_cast<size_t>(data.definition_levels_byte_length);
            const uint8_t* defined_ptr = nullptr;
            if (optional) {
              defined_ptr = decode_levels(body.substr(0, levels_size), rows, levels, defined);
            } else if (data.num_nulls != 0) {
              fail("NULLs in a REQUIRED column");
            }
            std::string_view values = body.substr(levels_size);
            if (data.is_compressed) {
              decompress_into(meta.codec, values, uncompressed_size - levels_size, page);
              values = page;
            } else if (values.size() != uncompressed_size - levels_size) {
              fail("an uncompressed page whose two sizes differ");
            }
            builder.append_page(rows, defined_ptr, values, data.encoding);
            rows_read += data.num_values;
            break;
          }
          default: break;  // an index page, or a kind this reader does not know: not data
        }
      } catch (const JobError& error) {
        fail(page_where + ": " + error.what());
      }
    }
  }

  void decompress_into(fmt_::CompressionCodec::type codec, std::string_view body, size_t uncompressed_size,
                       std::string& out) {
    if (codec == fmt_::CompressionCodec::GZIP) {
      io::Bytes inflated;
      try {
        inflated = io::gunzip(body, "the page", uncompressed_size);
      } catch (const JobError& error) {
        fail(std::string("corrupt GZIP data (") + error.what() + ")");
      }
      if (inflated.size() != uncompressed_size) {
        fail("GZIP data of " + std::to_string(inflated.size()) + " bytes where the page header says " +
             std::to_string(uncompressed_size));
      }
      out.assign(inflated.view());
      return;
    }
    std::string problem = decompress(*codec_of(codec), body, uncompressed_size, out);
    if (!problem.empty()) fail(problem);
  }

  // Decodes `rows` definition levels (bit width 1: a flat column) into
  // `defined`; returns it, or nullptr when every row has a value.
  static const uint8_t* decode_levels(std::string_view data, size_t rows, std::vector<uint32_t>& levels,
                                      std::vector<uint8_t>& defined) {
    levels.resize(rows);
    HybridDecoder decoder(data, 1);
    try {
      decoder.decode(levels.data(), rows);
    } catch (const JobError& error) {
      fail(std::string("definition levels: ") + error.what());
    }
    defined.resize(rows);
    bool all = true;
    for (size_t row_idx = 0; row_idx < rows; ++row_idx) {
      defined[row_idx] = static_cast<uint8_t>(levels[row_idx]);
      all = all && levels[row_idx] == 1;
    }
    return all ? nullptr : defined.data();
  }

  std::string_view file_;
  uint64_t budget_left_;
  size_t data_end_ = 0;
  fmt_::FileMetaData metadata_;
  std::vector<ColumnDescriptor> leaves_;
  std::string where_;
};

}  // namespace

ParquetTable read_parquet(std::string_view bytes, const std::string& source, const ReadOptions& options) {
  try {
    FileReader reader(bytes, options);
    reader.read_footer();
    return reader.read(options.columns);
  } catch (const JobError& error) {
    throw JobError(source + ": " + error.what());
  } catch (const std::bad_alloc&) {
    throw JobError(source + ": out of memory while decoding");
  }
}

std::vector<ColumnDescriptor> read_parquet_schema(std::string_view bytes, const std::string& source) {
  try {
    FileReader reader(bytes, {});
    reader.read_footer();
    return reader.leaves();
  } catch (const JobError& error) {
    throw JobError(source + ": " + error.what());
  }
}

}  // namespace sparkify::lake::parquet
