// A record that could not be taken: kept with where it came from and why,
// never thrown and never dropped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sparkify::model {

struct Reject {
  std::string source;  // file path or s3:// URI
  uint64_t line = 0;   // 1-based line of the record in its file
  std::string field;   // JSON key at fault; empty when the line itself is bad
  std::string reason;  // e.g. "expected an integer, found a string"
  std::string text;    // the raw record, cut to a bounded length
};

// "file:line: field: reason", the form every error message uses.
std::string describe(const Reject& reject);

using Rejects = std::vector<Reject>;

}  // namespace sparkify::model
