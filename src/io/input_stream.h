// A file's bytes read front to back in pieces, for a source too large to
// hold whole: an NDJSON day of events can be hundreds of MB, and reading it
// through a stream costs memory for a piece, not for the file.
#pragma once

#include <cstddef>
#include <string>

#include "io/bytes.h"

namespace sparkify::io {

class InputStream {
 public:
  virtual ~InputStream() = default;
  // Reads up to `size` bytes into `out`; returns 0 only at the end. Throws
  // IoError naming the file.
  virtual size_t read(char* out, size_t size) = 0;
};

// A stream over bytes already in memory: what a store that downloads whole
// objects (S3) hands over.
class BytesInputStream final : public InputStream {
 public:
  explicit BytesInputStream(Bytes bytes) : bytes_(std::move(bytes)) {}
  size_t read(char* out, size_t size) override;

 private:
  Bytes bytes_;
  size_t offset_ = 0;
};

// A local file, read with read(2) as the caller asks.
class FileInputStream final : public InputStream {
 public:
  // Throws IoError naming `path` when it cannot be opened.
  explicit FileInputStream(std::string path);
  ~FileInputStream() override;
  FileInputStream(const FileInputStream&) = delete;
  FileInputStream& operator=(const FileInputStream&) = delete;
  size_t read(char* out, size_t size) override;

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace sparkify::io
