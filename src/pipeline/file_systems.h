// The file systems of a run: S3 for s3:// URIs (one client, shared by the
// sources and the lake), the local disk otherwise.
#pragma once

#include <memory>
#include <string>

#include "config/settings.h"
#include "io/file_system.h"

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
  std::string describe_s3() const { return s3_description_; }

 private:
  const config::Settings& settings_;
  std::shared_ptr<io::FileSystem> local_;
  std::shared_ptr<io::FileSystem> s3_;
  std::string s3_description_;
};

}  // namespace sparkify::pipeline
