// The invariants the two JSON readers share, checked on every fuzz input.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "json/readers.h"
#include "model/reject.h"

namespace sparkify::fuzz {

// Every Reject names `source`, a non-blank line of `lines` (1-based, one
// Reject a line at most, in file order), a reason, at most one of the
// record's `known_keys`, and keeps the start of that line's text.
inline void check_rejects(const model::Rejects& rejects, const std::string& source,
                          const std::vector<std::string_view>& lines,
                          std::initializer_list<std::string_view> known_keys) {
  uint64_t previous_line = 0;
  for (const model::Reject& reject : rejects) {
    FUZZ_CHECK(reject.source == source);
    FUZZ_CHECK(!reject.reason.empty());
    FUZZ_CHECK(reject.line >= 1 && reject.line <= lines.size());
    FUZZ_CHECK(reject.line > previous_line);
    previous_line = reject.line;
    std::string_view line = lines[reject.line - 1];
    FUZZ_CHECK(!is_blank(line));
    FUZZ_CHECK(reject.text.size() <= json::kMaxRejectText);
    FUZZ_CHECK(reject.text == line.substr(0, json::kMaxRejectText));
    bool known = reject.field.empty();
    for (std::string_view key : known_keys) known = known || reject.field == key;
    FUZZ_CHECK(known);
    FUZZ_CHECK(!model::describe(reject).empty());
  }
}

inline size_t count_non_blank(const std::vector<std::string_view>& lines) {
  size_t count = 0;
  for (std::string_view line : lines) count += is_blank(line) ? 0 : 1;
  return count;
}

}  // namespace sparkify::fuzz
