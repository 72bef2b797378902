#include "warehouse/staging_parts.h"

#include <algorithm>
#include <cstdio>

namespace sparkify::warehouse {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kTargetPartBytes = 256 * kMiB;  // compressed
constexpr uint64_t kCompressionRatio = 5;
// Compressed bytes gathered before one write to the store.
constexpr size_t kFlushBytes = 8 << 20;
// gzip level 1: several times faster than the default for a few percent
// more bytes, and the parts live only until the load commits.
constexpr int kGzipLevel = 1;

}  // namespace

size_t staging_part_count(uint64_t source_bytes, int slices) {
  uint64_t per_slice = static_cast<uint64_t>(std::max(slices, 1));
  uint64_t compressed = source_bytes / kCompressionRatio;
  if (compressed < per_slice * kMiB) return static_cast<size_t>(std::max<uint64_t>(1, compressed / kMiB));
  uint64_t rounds = (compressed + per_slice * kTargetPartBytes - 1) / (per_slice * kTargetPartBytes);
  return static_cast<size_t>(per_slice * std::max<uint64_t>(rounds, 1));
}

struct StagingParts::Part {
  std::string uri;
  io::GzipWriter gzip{kGzipLevel};
  std::unique_ptr<io::OutputStream> out;
  std::string pending;  // compressed, not yet written
  uint64_t rows_bytes = 0;
  uint64_t written = 0;
};

StagingParts::StagingParts(io::FileSystem& fs, std::string folder, size_t parts) : fs_(fs), folder_(std::move(folder)) {
  for (size_t idx = 0; idx < std::max<size_t>(parts, 1); ++idx) {
    auto part = std::make_unique<Part>();
    char name[48];
    std::snprintf(name, sizeof name, "part-%05zu.json.gz", idx);
    part->uri = io::join_path(folder_, name);
    parts_.push_back(std::move(part));
  }
}

StagingParts::~StagingParts() { abort(); }

void StagingParts::flush(Part& part, bool all) {
  if (part.pending.empty() || (!all && part.pending.size() < kFlushBytes)) return;
  if (!part.out) part.out = fs_.create_unpublished(part.uri);
  part.out->write(part.pending);
  part.written += part.pending.size();
  part.pending.clear();
}

void StagingParts::add(std::string_view lines) {
  if (lines.empty()) return;
  Part& part = *parts_[next_];
  next_ = (next_ + 1) % parts_.size();
  part.gzip.write(lines, part.pending);
  part.rows_bytes += lines.size();
  flush(part, false);
}

std::string StagingParts::finish() {
  std::string entries;
  for (auto& part : parts_) {
    if (part->rows_bytes == 0) continue;
    part->gzip.finish(part->pending);
    flush(*part, true);
    part->out->close();
    part->out.reset();
    entries += entries.empty() ? "\n" : ",\n";
    entries += "    {\"url\": \"" + part->uri + "\", \"mandatory\": true}";
  }
  if (entries.empty()) return "";
  std::string manifest_uri = folder_ + ".manifest";
  fs_.write_file(manifest_uri, "{\n  \"entries\": [" + entries + "\n  ]\n}\n");
  return manifest_uri;
}

void StagingParts::abort() noexcept {
  for (auto& part : parts_) {
    if (!part->out) continue;
    try {
      part->out->abort();
    } catch (...) {
    }
    part->out.reset();
  }
}

uint64_t StagingParts::compressed_bytes() const {
  uint64_t total = 0;
  for (const auto& part : parts_) total += part->written + part->pending.size();
  return total;
}

}  // namespace sparkify::warehouse
