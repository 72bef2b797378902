// What the fuzz targets share: FUZZ_CHECK, which reports a broken invariant
// and aborts (libFuzzer and the replay driver both count that as a crash of
// the current input), and the line model of the readers' contract.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

// Aborts, naming the condition, when it is false. Unlike assert it stays on
// in release builds: the fuzzers are built with NDEBUG.
#define FUZZ_CHECK(condition)                                                                   \
  do {                                                                                          \
    if (!(condition)) {                                                                         \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                             \
    }                                                                                           \
  } while (0)

namespace sparkify::fuzz {

// The lines of `text` as the readers count them (json/readers.h): split at
// '\n', one trailing '\r' dropped, a last line without its newline counted.
// Line n of the file is lines[n - 1].
inline std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  }
  return lines;
}

// `text` without the UTF-8 byte order mark that may open it: the readers
// skip it, so the lines they number start after it.
inline std::string_view without_bom(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  return text.substr(0, kBom.size()) == kBom ? text.substr(kBom.size()) : text;
}

// A blank line holds nothing but spaces, tabs and carriage returns.
inline bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Whether `needle` can be read out of `haystack` by skipping characters:
// what a parser that copies text without decoding anything can produce.
inline bool is_subsequence(std::string_view needle, std::string_view haystack) {
  size_t found = 0;
  for (char c : haystack) {
    if (found == needle.size()) break;
    if (c == needle[found]) ++found;
  }
  return found == needle.size();
}

// How many times `needle` occurs in `text` (overlaps not counted).
inline size_t count_of(std::string_view text, std::string_view needle) {
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

}  // namespace sparkify::fuzz
