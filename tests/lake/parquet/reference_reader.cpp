#include "reference_reader.h"

#include <snappy.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <zstd.h>

#include <cstring>
#include <stdexcept>

namespace sparkify::lake::parquet::testing {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("reference reader: " + what); }

void require(bool condition, const std::string& what) {
  if (!condition) fail(what);
}

// Reads one Thrift struct (compact protocol) from the front of `bytes` and
// returns how many bytes it took.
template <typename ThriftStruct>
size_t read_thrift(std::string_view bytes, ThriftStruct& value) {
  using apache::thrift::protocol::TCompactProtocolT;
  using apache::thrift::transport::TMemoryBuffer;
  auto buffer = std::make_shared<TMemoryBuffer>(reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())),
                                                static_cast<uint32_t>(bytes.size()), TMemoryBuffer::OBSERVE);
  TCompactProtocolT<TMemoryBuffer> protocol(buffer);
  try {
    value.read(&protocol);
  } catch (const std::exception& error) {
    fail(std::string("bad Thrift struct: ") + error.what());
  }
  return bytes.size() - buffer->available_read();
}

template <typename T>
T read_le(std::string_view data, size_t& position, const std::string& what) {
  require(position + sizeof(T) <= data.size(), what + ": data end inside a value");
  T value;
  std::memcpy(&value, data.data() + position, sizeof(T));
  position += sizeof(T);
  return value;
}

// One PLAIN value of `type` at data[position].
Value read_plain(format::Type::type type, std::string_view data, size_t& position, const std::string& what) {
  switch (type) {
    case format::Type::INT32: return read_le<int32_t>(data, position, what);
    case format::Type::INT64: return read_le<int64_t>(data, position, what);
    case format::Type::DOUBLE: return read_le<double>(data, position, what);
    case format::Type::BYTE_ARRAY: {
      uint32_t length = read_le<uint32_t>(data, position, what);
      require(position + length <= data.size(), what + ": byte array runs past the page");
      std::string value(data.substr(position, length));
      position += length;
      return value;
    }
    default: fail(what + ": physical type " + std::to_string(type) + " is not one the writer writes");
  }
}

std::string decompress(format::CompressionCodec::type codec, std::string_view body, size_t uncompressed_size,
                       const std::string& what) {
  std::string out;
  switch (codec) {
    case format::CompressionCodec::UNCOMPRESSED:
      require(body.size() == uncompressed_size, what + ": uncompressed page whose two sizes differ");
      return std::string(body);
    case format::CompressionCodec::SNAPPY: {
      size_t length = 0;
      require(snappy::GetUncompressedLength(body.data(), body.size(), &length), what + ": bad Snappy header");
      require(length == uncompressed_size, what + ": Snappy length differs from the page header's");
      out.resize(length);
      require(snappy::RawUncompress(body.data(), body.size(), out.data()), what + ": bad Snappy data");
      return out;
    }
    case format::CompressionCodec::ZSTD: {
      out.resize(uncompressed_size);
      size_t length = ZSTD_decompress(out.data(), out.size(), body.data(), body.size());
      require(!ZSTD_isError(length), what + ": bad ZSTD data");
      require(length == uncompressed_size, what + ": ZSTD length differs from the page header's");
      return out;
    }
    default: fail(what + ": codec " + std::to_string(codec) + " is not one the writer writes");
  }
}

ChunkContent read_chunk(std::string_view file, const format::SchemaElement& element, const format::ColumnChunk& chunk,
                        int64_t group_rows, const std::string& what) {
  require(chunk.__isset.meta_data, what + ": no ColumnMetaData");
  const format::ColumnMetaData& meta = chunk.meta_data;
  require(meta.type == element.type, what + ": chunk type differs from the schema's");
  require(meta.num_values == group_rows, what + ": num_values differs from the row group's rows");
  bool optional = element.repetition_type == format::FieldRepetitionType::OPTIONAL;
  int64_t start = meta.__isset.dictionary_page_offset ? meta.dictionary_page_offset : meta.data_page_offset;
  require(start >= 4 && start + meta.total_compressed_size <= static_cast<int64_t>(file.size()),
          what + ": chunk outside the file");
  if (meta.__isset.dictionary_page_offset) {
    require(meta.dictionary_page_offset < meta.data_page_offset, what + ": dictionary page after the data");
  }

  ChunkContent content;
  size_t position = static_cast<size_t>(start);
  int64_t uncompressed_total = 0;
  int64_t rows_read = 0;
  while (rows_read < group_rows) {
    std::string page_what = what + " page at byte " + std::to_string(position);
    format::PageHeader header;
    size_t header_size = read_thrift(file.substr(position), header);
    position += header_size;
    require(header.compressed_page_size >= 0 && position + header.compressed_page_size <= file.size(),
            page_what + ": page runs past the file");
    std::string body = decompress(meta.codec, file.substr(position, header.compressed_page_size),
                                  static_cast<size_t>(header.uncompressed_page_size), page_what);
    position += header.compressed_page_size;
    uncompressed_total += static_cast<int64_t>(header_size) + header.uncompressed_page_size;

    PageInfo info;
    info.type = header.type;
    info.uncompressed_size = header.uncompressed_page_size;
    info.compressed_size = header.compressed_page_size;
    if (header.type == format::PageType::DICTIONARY_PAGE) {
      require(content.pages.empty(), page_what + ": dictionary page not first in its chunk");
      require(header.__isset.dictionary_page_header, page_what + ": no DictionaryPageHeader");
      require(static_cast<int64_t>(position - header_size - header.compressed_page_size) == meta.dictionary_page_offset,
              page_what + ": dictionary_page_offset points elsewhere");
      const auto& dictionary = header.dictionary_page_header;
      require(
          dictionary.encoding == format::Encoding::PLAIN || dictionary.encoding == format::Encoding::PLAIN_DICTIONARY,
          page_what + ": dictionary not PLAIN");
      info.encoding = dictionary.encoding;
      info.num_values = dictionary.num_values;
      size_t body_position = 0;
      for (int32_t entry_idx = 0; entry_idx < dictionary.num_values; ++entry_idx) {
        content.dictionary.push_back(read_plain(meta.type, body, body_position, page_what));
      }
      require(body_position == body.size(), page_what + ": bytes left after the dictionary");
      content.pages.push_back(info);
      continue;
    }
    require(header.type == format::PageType::DATA_PAGE, page_what + ": not a v1 data page");
    require(header.__isset.data_page_header, page_what + ": no DataPageHeader");
    if (content.pages.empty() || content.pages.back().type == format::PageType::DICTIONARY_PAGE) {
      require(static_cast<int64_t>(position - header_size - header.compressed_page_size) == meta.data_page_offset,
              page_what + ": data_page_offset points elsewhere");
    }
    const auto& data = header.data_page_header;
    info.encoding = data.encoding;
    info.num_values = data.num_values;
    require(data.num_values > 0 && rows_read + data.num_values <= group_rows, page_what + ": bad num_values");

    size_t body_position = 0;
    std::vector<uint32_t> levels;
    if (optional) {
      require(data.definition_level_encoding == format::Encoding::RLE, page_what + ": levels not RLE");
      uint32_t length = read_le<uint32_t>(body, body_position, page_what);
      require(body_position + length <= body.size(), page_what + ": levels run past the page");
      size_t consumed = 0;
      levels = decode_rle_hybrid(std::string_view(body).substr(body_position, length), 1,
                                 static_cast<size_t>(data.num_values), &consumed);
      require(consumed == length, page_what + ": the levels' length prefix is not their size");
      body_position += length;
    } else {
      levels.assign(static_cast<size_t>(data.num_values), 1);
    }
    size_t present = 0;
    for (uint32_t level : levels) present += level;

    std::vector<Value> values;
    if (data.encoding == format::Encoding::PLAIN) {
      for (size_t value_idx = 0; value_idx < present; ++value_idx) {
        values.push_back(read_plain(meta.type, body, body_position, page_what));
      }
      require(body_position == body.size(), page_what + ": bytes left after the values");
    } else if (data.encoding == format::Encoding::RLE_DICTIONARY ||
               data.encoding == format::Encoding::PLAIN_DICTIONARY) {
      require(!content.dictionary.empty() || present == 0, page_what + ": dictionary-encoded without a dictionary");
      require(body_position < body.size(), page_what + ": no bit width before the indices");
      info.index_bit_width = static_cast<unsigned char>(body[body_position++]);
      require(info.index_bit_width <= 32, page_what + ": index bit width over 32");
      size_t consumed = 0;
      std::vector<uint32_t> indices =
          decode_rle_hybrid(std::string_view(body).substr(body_position), info.index_bit_width, present, &consumed);
      require(body_position + consumed == body.size(), page_what + ": bytes left after the indices");
      for (uint32_t index : indices) {
        require(index < content.dictionary.size(), page_what + ": index past the dictionary");
        values.push_back(content.dictionary[index]);
      }
    } else {
      fail(page_what + ": encoding " + std::to_string(data.encoding) + " is not one the writer writes");
    }
    size_t value_idx = 0;
    for (uint32_t level : levels) {
      content.cells.push_back(level == 1 ? Cell(values[value_idx++]) : Cell());
    }
    rows_read += data.num_values;
    content.pages.push_back(info);
  }
  require(static_cast<int64_t>(position) - start == meta.total_compressed_size,
          what + ": total_compressed_size is not the chunk's size");
  require(uncompressed_total == meta.total_uncompressed_size, what + ": total_uncompressed_size is wrong");
  return content;
}

}  // namespace

uint64_t read_varint(std::string_view data, size_t& position) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    require(position < data.size(), "varint runs past the data");
    auto byte = static_cast<unsigned char>(data[position++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  fail("varint longer than 64 bits");
}

std::vector<uint32_t> decode_rle_hybrid(std::string_view data, int bit_width, size_t count, size_t* consumed) {
  require(bit_width >= 0 && bit_width <= 32, "bit width " + std::to_string(bit_width));
  std::vector<uint32_t> values;
  values.reserve(count);
  size_t position = 0;
  while (values.size() < count) {
    uint64_t header = read_varint(data, position);
    if (header & 1) {
      // Bit-packed: header >> 1 groups of 8 values, least significant bit
      // first.
      uint64_t groups = header >> 1;
      require(groups > 0, "empty bit-packed run");
      size_t byte_count = static_cast<size_t>(groups) * static_cast<size_t>(bit_width);
      require(position + byte_count <= data.size(), "bit-packed run past the data");
      for (size_t value_idx = 0; value_idx < groups * 8; ++value_idx) {
        uint32_t value = 0;
        for (int bit = 0; bit < bit_width; ++bit) {
          size_t bit_position = value_idx * static_cast<size_t>(bit_width) + static_cast<size_t>(bit);
          if ((static_cast<unsigned char>(data[position + bit_position / 8]) >> (bit_position % 8)) & 1) {
            value |= uint32_t{1} << bit;
          }
        }
        if (values.size() < count) values.push_back(value);
      }
      position += byte_count;
    } else {
      // RLE: header >> 1 repeats of one value in ceil(bit_width / 8) bytes.
      uint64_t run = header >> 1;
      require(run > 0, "empty RLE run");
      size_t value_bytes = (static_cast<size_t>(bit_width) + 7) / 8;
      require(position + value_bytes <= data.size(), "RLE value past the data");
      uint64_t value = 0;
      for (size_t byte_idx = 0; byte_idx < value_bytes; ++byte_idx) {
        value |= static_cast<uint64_t>(static_cast<unsigned char>(data[position + byte_idx])) << (8 * byte_idx);
      }
      require(bit_width == 32 || (value >> bit_width) == 0, "RLE value wider than the bit width");
      position += value_bytes;
      for (uint64_t repeat = 0; repeat < run && values.size() < count; ++repeat) {
        values.push_back(static_cast<uint32_t>(value));
      }
    }
  }
  if (consumed) *consumed = position;
  return values;
}

std::vector<Row> ParquetFile::rows() const {
  std::vector<Row> out;
  for (const auto& group : chunks) {
    size_t group_rows = group.empty() ? 0 : group[0].cells.size();
    for (size_t row_idx = 0; row_idx < group_rows; ++row_idx) {
      Row row;
      for (const auto& chunk : group) row.push_back(chunk.cells.at(row_idx));
      out.push_back(std::move(row));
    }
  }
  return out;
}

ParquetFile read_parquet_bytes(std::string_view bytes) {
  require(bytes.size() >= 12, "file of " + std::to_string(bytes.size()) + " bytes");
  require(bytes.substr(0, 4) == "PAR1", "no PAR1 at the start");
  require(bytes.substr(bytes.size() - 4) == "PAR1", "no PAR1 at the end");
  size_t length_position = bytes.size() - 8;
  uint32_t footer_length = read_le<uint32_t>(bytes, length_position, "footer length");
  require(footer_length <= bytes.size() - 12, "footer longer than the file");
  std::string_view footer = bytes.substr(bytes.size() - 8 - footer_length, footer_length);
  ParquetFile file;
  require(read_thrift(footer, file.metadata) == footer.size(), "bytes left after the footer's FileMetaData");

  const auto& schema = file.metadata.schema;
  require(!schema.empty() && schema[0].num_children == static_cast<int32_t>(schema.size() - 1),
          "root's num_children is not the number of leaves");
  int64_t total_rows = 0;
  for (size_t group_idx = 0; group_idx < file.metadata.row_groups.size(); ++group_idx) {
    const format::RowGroup& group = file.metadata.row_groups[group_idx];
    require(group.columns.size() == schema.size() - 1, "row group " + std::to_string(group_idx) + ": column count");
    std::vector<ChunkContent> contents;
    for (size_t column_idx = 0; column_idx < group.columns.size(); ++column_idx) {
      std::string what = "row group " + std::to_string(group_idx) + " column " + schema[column_idx + 1].name;
      require(
          group.columns[column_idx].meta_data.path_in_schema == std::vector<std::string>{schema[column_idx + 1].name},
          what + ": path_in_schema");
      contents.push_back(read_chunk(bytes, schema[column_idx + 1], group.columns[column_idx], group.num_rows, what));
    }
    total_rows += group.num_rows;
    file.chunks.push_back(std::move(contents));
  }
  require(total_rows == file.metadata.num_rows, "the row groups' rows do not add up to num_rows");
  return file;
}

}  // namespace sparkify::lake::parquet::testing
