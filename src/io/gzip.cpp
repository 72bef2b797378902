#include "io/gzip.h"

#include <zlib.h>

#include <cstring>

#include "model/error.h"

namespace sparkify::io {

bool is_gzip(const Bytes& bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes.data()[0]) == 0x1f &&
         static_cast<unsigned char>(bytes.data()[1]) == 0x8b;
}

Bytes gunzip(const Bytes& bytes, const std::string& source) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header rather than a raw zlib one.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) throw IoError("cannot start gzip for " + source);
  size_t capacity = bytes.size() * 4 + 1024;
  Bytes out(capacity);
  size_t produced = 0;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  for (;;) {
    if (produced == capacity) {
      Bytes bigger(capacity * 2);
      std::memcpy(bigger.data(), out.data(), produced);
      out = std::move(bigger);
      capacity *= 2;
    }
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(capacity - produced);
    int status = inflate(&stream, Z_NO_FLUSH);
    produced = capacity - stream.avail_out;
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      // Another gzip member follows (concatenated .gz files are valid).
      inflateReset(&stream);
      continue;
    }
    if (status == Z_OK) continue;
    if (status == Z_BUF_ERROR && stream.avail_out != 0) {
      inflateEnd(&stream);
      throw IoError(source + ": truncated gzip stream");
    }
    if (status != Z_BUF_ERROR) {
      std::string message = stream.msg ? stream.msg : "corrupt data";
      inflateEnd(&stream);
      throw IoError(source + ": corrupt gzip stream: " + message);
    }
  }
  inflateEnd(&stream);
  out.truncate(produced);
  return out;
}

Bytes maybe_gunzip(Bytes bytes, const std::string& source) {
  if (!is_gzip(bytes)) return bytes;
  return gunzip(bytes, source);
}

}  // namespace sparkify::io
