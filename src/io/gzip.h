// Transparent gzip: the sources may be stored as *.json.gz.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "io/bytes.h"
#include "io/input_stream.h"

namespace sparkify::io {

// True when `bytes` (or the first bytes of a stream) start with the gzip
// magic number.
bool is_gzip(const Bytes& bytes);
bool is_gzip(std::string_view start);

// Inflates a gzip (possibly multi-member) stream. Throws IoError naming
// `source` when the stream is corrupt or truncated.
Bytes gunzip(const Bytes& bytes, const std::string& source);

// As above for bytes held anywhere, failing with IoError (naming `source`)
// as soon as the output would pass `max_size` bytes: for untrusted input
// whose inflated size is known (a Parquet page).
Bytes gunzip(std::string_view bytes, const std::string& source, size_t max_size);

// Returns `bytes` inflated when they are gzip, else unchanged.
Bytes maybe_gunzip(Bytes bytes, const std::string& source);

// Reads `source` inflated when it is gzip (its first two bytes), else as it
// is, as the caller reads: a buffer of input at a time, never the whole
// file. Multi-member streams are read through; a corrupt or truncated one
// fails with IoError naming `name`.
class MaybeGunzipStream final : public InputStream {
 public:
  MaybeGunzipStream(InputStream& source, std::string name);
  ~MaybeGunzipStream() override;
  MaybeGunzipStream(const MaybeGunzipStream&) = delete;
  MaybeGunzipStream& operator=(const MaybeGunzipStream&) = delete;
  size_t read(char* out, size_t size) override;
  // Bytes taken from `source` so far: the file's size as stored, once read.
  uint64_t stored_bytes() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

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
