#include "lake/hive_path.h"

namespace sparkify::lake {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string unescape_partition_value(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t idx = 0; idx < text.size(); ++idx) {
    if (text[idx] == '%' && idx + 2 < text.size()) {
      int high = hex_value(text[idx + 1]);
      int low = hex_value(text[idx + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        idx += 2;
        continue;
      }
    }
    out += text[idx];
  }
  return out;
}

std::string partition_path(const PartitionValues& values) {
  std::string out;
  for (const auto& [name, value] : values) {
    if (!out.empty()) out += '/';
    out += name;
    out += '=';
    if (!value) {
      out += kHiveDefaultPartition;
    } else if (value->empty()) {
      // Hive writes an empty string as the default partition too.
      out += kHiveDefaultPartition;
    } else {
      out += escape_partition_value(*value);
    }
  }
  return out;
}

}  // namespace sparkify::lake
