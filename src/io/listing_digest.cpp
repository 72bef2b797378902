#include "io/listing_digest.h"

#include <cstdint>
#include <cstdio>
#include <string_view>

namespace sparkify::io {

std::string listing_digest(std::span<const FileEntry> files) {
  uint64_t first = 14695981039346656037ULL;
  uint64_t second = 1099511628211ULL * 31;
  auto mix = [&](std::string_view text) {
    for (unsigned char byte : text) {
      first = (first ^ byte) * 1099511628211ULL;
      second = (second ^ byte) * 1099511628211ULL;
    }
    first = (first ^ 0xff) * 1099511628211ULL;  // a separator no UTF-8 text holds
    second = (second ^ 0xff) * 1099511628211ULL;
  };
  for (const auto& file : files) {
    mix(file.path);
    mix(std::to_string(file.size));
    mix(file.version);
  }
  char text[40];
  std::snprintf(text, sizeof(text), "%016llx%016llx", static_cast<unsigned long long>(first),
                static_cast<unsigned long long>(second));
  return text;
}

}  // namespace sparkify::io
