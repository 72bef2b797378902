// Keeps copies of many short texts in large blocks: one allocation per
// block rather than one per text (millions of distinct song titles would
// otherwise cost a malloc and a free each), and views that stay valid as
// it grows, until it is destroyed.
#pragma once

#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace sparkify::model {

class TextArena {
 public:
  std::string_view copy(std::string_view text) {
    if (text.empty()) return std::string_view();
    if (text.size() > kBlockBytes / 4) {
      // A long text gets a block of its own, leaving the current one open.
      blocks_.push_back(std::make_unique<char[]>(text.size()));
      std::memcpy(blocks_.back().get(), text.data(), text.size());
      return std::string_view(blocks_.back().get(), text.size());
    }
    if (text.size() > left_) {
      blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
      cursor_ = blocks_.back().get();
      left_ = kBlockBytes;
    }
    std::memcpy(cursor_, text.data(), text.size());
    std::string_view stored(cursor_, text.size());
    cursor_ += text.size();
    left_ -= text.size();
    return stored;
  }

 private:
  static constexpr size_t kBlockBytes = size_t{64} << 10;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t left_ = 0;
};

}  // namespace sparkify::model
