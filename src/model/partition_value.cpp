#include "model/partition_value.h"

#include <cstring>

namespace sparkify::model {
namespace {

bool needs_escape(unsigned char c) {
  if (c < 0x20 || c == 0x7f) return true;
  return std::strchr("\"#%'*/:=?\\{[]^ ", c) != nullptr && c != '\0';
}

}  // namespace

std::string escape_partition_value(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (needs_escape(c)) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

size_t partition_folder_name_size(std::string_view column, std::string_view value) {
  size_t size = column.size() + 1;  // "column="
  for (unsigned char c : value) size += needs_escape(c) ? 3 : 1;
  return size;
}

}  // namespace sparkify::model
