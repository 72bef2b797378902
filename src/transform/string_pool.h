// Interns strings: each distinct value is stored once and named by a small
// id. The event columns that songplays keep (level, song, artist, location,
// user agent) repeat heavily, so 10M events hold a few MB of distinct text.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/text_arena.h"

namespace sparkify::transform {

class StringPool {
 public:
  // Id of NULL.
  static constexpr uint32_t kNull = UINT32_MAX;

  uint32_t intern(const std::optional<std::string>& value) {
    if (!value) return kNull;
    return intern(std::string_view(*value));
  }
  uint32_t intern(std::optional<std::string_view> value) {
    if (!value) return kNull;
    return intern(*value);
  }
  uint32_t intern(const std::string& value) { return intern(std::string_view(value)); }
  uint32_t intern(const char* value) { return intern(std::string_view(value)); }
  uint32_t intern(std::string_view value) {
    auto found = index_.find(value);
    if (found != index_.end()) return found->second;
    // The arena never moves what it holds, so the views used as keys stay
    // valid.
    std::string_view stored = text_.copy(value);
    uint32_t id = static_cast<uint32_t>(values_.size());
    values_.push_back(stored);
    index_.emplace(stored, id);
    return id;
  }

  // The id of `value` if it was interned, without adding it.
  std::optional<uint32_t> find(std::string_view value) const {
    auto found = index_.find(value);
    if (found == index_.end()) return std::nullopt;
    return found->second;
  }

  std::optional<std::string_view> get(uint32_t id) const {
    if (id == kNull) return std::nullopt;
    return values_[id];
  }

  size_t size() const { return values_.size(); }

 private:
  model::TextArena text_;
  std::vector<std::string_view> values_;
  absl::flat_hash_map<std::string_view, uint32_t> index_;
};

}  // namespace sparkify::transform
