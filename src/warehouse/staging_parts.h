// Compacted staging for a warehouse that loads from S3: a table's rows as
// gzip-compressed JSON lines, spread over a few parts of similar size, and a
// manifest listing them for one COPY … MANIFEST GZIP. Tens of thousands of
// small source files become a few files that the cluster's slices load in
// parallel.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"
#include "io/gzip.h"

namespace sparkify::warehouse {

// How many parts to write for about `source_bytes` of JSON on a cluster of
// `slices` slices. AWS advises a multiple of the slices, each part 1 MB to
// 1 GB compressed: a multiple of `slices` with parts near 256 MB (JSON
// compresses about 5:1), or, when there is too little for one megabyte per
// slice, fewer parts of about a megabyte each (at least one).
size_t staging_part_count(uint64_t source_bytes, int slices);

class StagingParts {
 public:
  // Parts go to `folder`/part-NNNNN.json.gz, the manifest beside the folder
  // as `folder`.manifest.
  StagingParts(io::FileSystem& fs, std::string folder, size_t parts);
  ~StagingParts();

  // Takes whole JSON lines; each call's lines go to the next part in turn.
  void add(std::string_view lines);
  // Closes the parts and writes the manifest (parts with no rows are left
  // out). Returns the manifest's URI, or "" when no row was added.
  std::string finish();
  // Drops what is unfinished; what finish() wrote is left for the caller to
  // remove with the folder.
  void abort() noexcept;

  size_t part_count() const { return parts_.size(); }
  uint64_t compressed_bytes() const;

 private:
  struct Part;
  void flush(Part& part, bool all);

  io::FileSystem& fs_;
  std::string folder_;
  std::vector<std::unique_ptr<Part>> parts_;
  size_t next_ = 0;
};

}  // namespace sparkify::warehouse
