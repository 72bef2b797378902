#include "lake/parquet/encoding.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "PLAIN encoding assumes a little-endian host");

namespace sparkify::lake::parquet {
namespace {

void append_rle_run(uint32_t value, size_t length, int bit_width, std::string& out) {
  append_varint(static_cast<uint64_t>(length) << 1, out);
  int value_bytes = (bit_width + 7) / 8;
  for (int byte_idx = 0; byte_idx < value_bytes; ++byte_idx) out += static_cast<char>((value >> (8 * byte_idx)) & 0xff);
}

// Bit-packs `groups` groups of 8 values from `values` (zero past `count`).
void append_bit_packed(const uint32_t* values, size_t count, size_t groups, int bit_width, std::string& out) {
  append_varint((static_cast<uint64_t>(groups) << 1) | 1, out);
  uint64_t buffer = 0;
  int buffered_bits = 0;
  for (size_t value_idx = 0; value_idx < groups * 8; ++value_idx) {
    uint64_t value = value_idx < count ? values[value_idx] : 0;
    buffer |= value << buffered_bits;
    buffered_bits += bit_width;
    while (buffered_bits >= 8) {
      out += static_cast<char>(buffer & 0xff);
      buffer >>= 8;
      buffered_bits -= 8;
    }
  }
  // groups * 8 * bit_width is a whole number of bytes: nothing is left over.
}

size_t run_length_at(const uint32_t* values, size_t count, size_t start) {
  size_t end = start + 1;
  while (end < count && values[end] == values[start]) ++end;
  return end - start;
}

}  // namespace

void append_varint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

int bit_width_for(uint32_t max_value) {
  int width = 1;
  while (width < 32 && (max_value >> width) != 0) ++width;
  return width;
}

void encode_rle_hybrid(const uint32_t* values, size_t count, int bit_width, std::string& out) {
  size_t position = 0;
  while (position < count) {
    size_t run = run_length_at(values, count, position);
    if (run >= 8) {
      append_rle_run(values[position], run, bit_width, out);
      position += run;
      continue;
    }
    // Bit-pack whole groups of 8 until a long run begins at a group start.
    size_t start = position;
    size_t groups = 0;
    while (position < count) {
      if (groups > 0 && run_length_at(values, count, position) >= 8) break;
      position += 8;
      ++groups;
    }
    append_bit_packed(values + start, count - start, groups, bit_width, out);
    if (position > count) position = count;
  }
}

void append_plain_bytes(std::string_view value, std::string& out) {
  append_plain(static_cast<uint32_t>(value.size()), out);
  out.append(value);
}

}  // namespace sparkify::lake::parquet
