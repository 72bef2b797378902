// An owned byte buffer with zeroed slack after its end, so that a SIMD parser
// may read past the last byte without a copy.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace sparkify::io {

class Bytes {
 public:
  // Bytes of readable slack after size(); at least simdjson's padding (64).
  static constexpr size_t kPadding = 64;

  Bytes() = default;
  explicit Bytes(size_t size) : data_(new char[size + kPadding]), size_(size) {
    std::memset(data_.get() + size, 0, kPadding);
  }
  static Bytes copy_of(std::string_view text) {
    Bytes bytes(text.size());
    if (!text.empty()) std::memcpy(bytes.data(), text.data(), text.size());
    return bytes;
  }

  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }

  // Shrinks the visible size (the slack stays zeroed past the new end).
  void truncate(size_t size) {
    size_ = size;
    std::memset(data_.get() + size, 0, kPadding);
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
};

}  // namespace sparkify::io
