// The file systems of a run: S3 for s3:// URIs (one client, shared by the
// sources and the lake), the local disk otherwise. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "config/settings.h"
#include "io/file_system.h"
#include "pipeline/progress.h"

namespace sparkify::io {
class S3FileSystem;
}

namespace sparkify::pipeline {

class FileSystems {
 public:
  explicit FileSystems(const config::Settings& settings);

  // The file system that holds `path`. Throws UsageError when S3 options
  // cannot be resolved (missing credentials, bad endpoint).
  std::shared_ptr<io::FileSystem> for_path(const std::string& path);

  // Files read and parsed at once from `path`'s file system.
  size_t read_concurrency(const std::string& path) const;

  // How S3 is reached, for logs (never a secret); empty when unused.
  std::string describe_s3() const;

  // What S3 did so far (keys listed, retries); zeros when unused. Cheap.
  TransferActivity activity() const;

 private:
  const config::Settings& settings_;
  std::shared_ptr<io::FileSystem> local_;
  mutable std::mutex mutex_;
  std::shared_ptr<io::S3FileSystem> s3_;  // GUARDED_BY(mutex_)
  std::string s3_description_;            // GUARDED_BY(mutex_)
};

}  // namespace sparkify::pipeline
