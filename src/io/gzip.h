// Transparent gzip: the sources may be stored as *.json.gz.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "io/bytes.h"

namespace sparkify::io {

// True when `bytes` start with the gzip magic number.
bool is_gzip(const Bytes& bytes);

// Inflates a gzip (possibly multi-member) stream. Throws IoError naming
// `source` when the stream is corrupt or truncated.
Bytes gunzip(const Bytes& bytes, const std::string& source);

// As above for bytes held anywhere, failing with IoError (naming `source`)
// as soon as the output would pass `max_size` bytes: for untrusted input
// whose inflated size is known (a Parquet page).
Bytes gunzip(std::string_view bytes, const std::string& source, size_t max_size);

// Returns `bytes` inflated when they are gzip, else unchanged.
Bytes maybe_gunzip(Bytes bytes, const std::string& source);

// Compresses a stream into one gzip member as the bytes come (the staging
// files a warehouse loads with COPY … GZIP).
class GzipWriter {
 public:
  // `level`: 1 (fastest) to 9 (smallest).
  explicit GzipWriter(int level);
  ~GzipWriter();
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;

  // Compresses `bytes`, appending what zlib emits to `out`.
  void write(std::string_view bytes, std::string& out);
  // Ends the member (trailer included), appending to `out`.
  void finish(std::string& out);

 private:
  struct Stream;
  std::unique_ptr<Stream> stream_;
};

}  // namespace sparkify::io
