// An io::InputStream over a text that gives at most `most` bytes a read, as
// a pipe or a slow disk may: readers of streams must not expect full reads.
#pragma once

#include <algorithm>
#include <string>

#include "io/input_stream.h"

namespace sparkify::testing {

class TrickleStream final : public io::InputStream {
 public:
  TrickleStream(std::string text, size_t most) : text_(std::move(text)), most_(most) {}
  size_t read(char* out, size_t size) override {
    size_t count = std::min({size, most_, text_.size() - offset_});
    text_.copy(out, count, offset_);
    offset_ += count;
    return count;
  }

 private:
  std::string text_;
  size_t most_;
  size_t offset_ = 0;
};

}  // namespace sparkify::testing
