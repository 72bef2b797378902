#include "io/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "model/error.h"

namespace sparkify::io {

bool is_gzip(std::string_view start) {
  return start.size() >= 2 && static_cast<unsigned char>(start[0]) == 0x1f &&
         static_cast<unsigned char>(start[1]) == 0x8b;
}

bool is_gzip(const Bytes& bytes) { return is_gzip(bytes.view()); }

Bytes gunzip(const Bytes& bytes, const std::string& source) { return gunzip(bytes.view(), source, SIZE_MAX); }

Bytes gunzip(std::string_view bytes, const std::string& source, size_t max_size) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header rather than a raw zlib one.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) throw IoError("cannot start gzip for " + source);
  // One byte of room past max_size tells "exactly max_size" from "more".
  size_t room_limit = max_size == SIZE_MAX ? SIZE_MAX : max_size + 1;
  size_t capacity = std::min(bytes.size() * 4 + 1024, room_limit);
  Bytes out(capacity);
  size_t produced = 0;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  for (;;) {
    if (produced == capacity) {
      if (capacity == room_limit) {
        inflateEnd(&stream);
        throw IoError(source + ": gzip stream inflates to more than " + std::to_string(max_size) + " bytes");
      }
      size_t bigger_capacity = capacity > room_limit / 2 ? room_limit : capacity * 2;
      Bytes bigger(bigger_capacity);
      std::memcpy(bigger.data(), out.data(), produced);
      out = std::move(bigger);
      capacity = bigger_capacity;
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

struct MaybeGunzipStream::State {
  State(InputStream& from, std::string source_name) : source(from), name(std::move(source_name)) {}
  ~State() {
    if (inflating) inflateEnd(&z);
  }

  // Appends what the source gives to the buffered input; false at its end.
  bool fill() {
    if (source_done) return false;
    if (begin == end) begin = end = 0;
    if (end == input.size()) return true;  // full: nothing read, nothing ended
    size_t got = source.read(input.data() + end, input.size() - end);
    stored += got;
    end += got;
    if (got == 0) source_done = true;
    return got > 0;
  }
  size_t buffered() const { return end - begin; }

  InputStream& source;
  std::string name;
  // Input read from the source and not yet handed on or inflated.
  std::vector<char> input = std::vector<char>(size_t{256} << 10);
  size_t begin = 0;
  size_t end = 0;
  bool source_done = false;
  uint64_t stored = 0;
  enum class Mode { kUnknown, kPlain, kGzip } mode = Mode::kUnknown;
  z_stream z{};
  bool inflating = false;
  bool ended = false;
};

MaybeGunzipStream::MaybeGunzipStream(InputStream& source, std::string name)
    : state_(std::make_unique<State>(source, std::move(name))) {}

MaybeGunzipStream::~MaybeGunzipStream() = default;

uint64_t MaybeGunzipStream::stored_bytes() const { return state_->stored; }

size_t MaybeGunzipStream::read(char* out, size_t size) {
  State& st = *state_;
  if (st.mode == State::Mode::kUnknown) {
    while (st.buffered() < 2 && st.fill()) {
    }
    bool gzip = is_gzip(std::string_view(st.input.data() + st.begin, st.buffered()));
    st.mode = gzip ? State::Mode::kGzip : State::Mode::kPlain;
    if (gzip) {
      // 16 + MAX_WBITS: expect a gzip header rather than a raw zlib one.
      if (inflateInit2(&st.z, 16 + MAX_WBITS) != Z_OK) throw IoError("cannot start gzip for " + st.name);
      st.inflating = true;
    }
  }
  if (size == 0) return 0;
  if (st.mode == State::Mode::kPlain) {
    if (st.buffered() > 0) {
      size_t count = std::min(size, st.buffered());
      std::memcpy(out, st.input.data() + st.begin, count);
      st.begin += count;
      return count;
    }
    if (st.source_done) return 0;
    size_t got = st.source.read(out, size);
    st.stored += got;
    if (got == 0) st.source_done = true;
    return got;
  }
  // zlib counts in 32-bit units.
  size = std::min<size_t>(size, size_t{1} << 30);
  while (!st.ended) {
    if (st.buffered() == 0 && !st.fill()) throw IoError(st.name + ": truncated gzip stream");
    st.z.next_in = reinterpret_cast<Bytef*>(st.input.data() + st.begin);
    st.z.avail_in = static_cast<uInt>(st.buffered());
    st.z.next_out = reinterpret_cast<Bytef*>(out);
    st.z.avail_out = static_cast<uInt>(size);
    int status = inflate(&st.z, Z_NO_FLUSH);
    st.begin = st.end - st.z.avail_in;
    size_t produced = size - st.z.avail_out;
    if (status == Z_STREAM_END) {
      // Another gzip member may follow (concatenated .gz files are valid).
      if (st.buffered() == 0) st.fill();
      if (st.buffered() == 0) {
        st.ended = true;
      } else {
        inflateReset(&st.z);
      }
    } else if (status != Z_OK && !(status == Z_BUF_ERROR && st.buffered() == 0)) {
      // Z_BUF_ERROR with input left means no progress can be made.
      throw IoError(st.name + ": corrupt gzip stream: " + (st.z.msg ? st.z.msg : "corrupt data"));
    }
    if (produced > 0) return produced;
  }
  return 0;
}

struct GzipWriter::Stream {
  z_stream z{};
};

GzipWriter::GzipWriter(int level) : stream_(std::make_unique<Stream>()) {
  // 16 + MAX_WBITS: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream_->z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw IoError("cannot start gzip compression");
  }
}

GzipWriter::~GzipWriter() { deflateEnd(&stream_->z); }

namespace {

void deflate_into(z_stream& z, std::string_view bytes, int flush, std::string& out) {
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  for (;;) {
    size_t start = out.size();
    size_t room = deflateBound(&z, z.avail_in) + 64;
    out.resize(start + room);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + start);
    z.avail_out = static_cast<uInt>(room);
    int status = deflate(&z, flush);
    out.resize(start + room - z.avail_out);
    if (status == Z_STREAM_ERROR) throw IoError("gzip compression failed");
    if (flush == Z_FINISH ? status == Z_STREAM_END : z.avail_in == 0) return;
  }
}

}  // namespace

void GzipWriter::write(std::string_view bytes, std::string& out) {
  // zlib counts input in 32-bit units: feed at most 1 GiB at a time.
  constexpr size_t kMaxChunk = size_t{1} << 30;
  while (!bytes.empty()) {
    std::string_view chunk = bytes.substr(0, kMaxChunk);
    deflate_into(stream_->z, chunk, Z_NO_FLUSH, out);
    bytes.remove_prefix(chunk.size());
  }
}

void GzipWriter::finish(std::string& out) { deflate_into(stream_->z, {}, Z_FINISH, out); }

}  // namespace sparkify::io
