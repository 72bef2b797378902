#include "io/input_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "model/error.h"

namespace sparkify::io {

size_t BytesInputStream::read(char* out, size_t size) {
  size_t count = std::min(size, bytes_.size() - offset_);
  if (count > 0) std::memcpy(out, bytes_.data() + offset_, count);
  offset_ += count;
  return count;
}

FileInputStream::FileInputStream(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw IoError("cannot open " + path_ + ": " + std::strerror(errno));
  // Read once, front to back: the kernel may read ahead further.
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

FileInputStream::~FileInputStream() {
  if (fd_ >= 0) ::close(fd_);
}

size_t FileInputStream::read(char* out, size_t size) {
  for (;;) {
    ssize_t got = ::read(fd_, out, size);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) throw IoError("cannot read " + path_ + ": " + std::strerror(errno));
  }
}

}  // namespace sparkify::io
