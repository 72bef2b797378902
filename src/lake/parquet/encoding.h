// Parquet's value encodings, as pure functions over byte buffers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sparkify::lake::parquet {

// The RLE / bit-packing hybrid (used for definition levels and dictionary
// indices): runs of 8 or more equal values as RLE runs, the rest bit-packed
// in groups of 8, least significant bit first. Appends to `out`, without a
// length prefix.
void encode_rle_hybrid(const uint32_t* values, size_t count, int bit_width, std::string& out);

// Bits needed for values up to `max_value` (at least 1).
int bit_width_for(uint32_t max_value);

// ULEB128, as the hybrid's run headers use.
void append_varint(uint64_t value, std::string& out);

// PLAIN: little-endian fixed width, or a 4-byte length before each byte array.
template <typename T>
void append_plain(T value, std::string& out) {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8);
  char bytes[sizeof(T)];
  __builtin_memcpy(bytes, &value, sizeof(T));  // x86-64 and arm64 are little-endian
  out.append(bytes, sizeof(T));
}
void append_plain_bytes(std::string_view value, std::string& out);

}  // namespace sparkify::lake::parquet
