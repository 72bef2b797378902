// Chooses the FileSystem for a path: S3 for s3:// URIs, the local disk
// otherwise.
#pragma once

#include <memory>
#include <string>

#include "config/settings.h"
#include "io/file_system.h"

namespace sparkify::pipeline {

std::unique_ptr<io::FileSystem> open_file_system(const std::string& path, const config::Settings& settings);

// Read concurrency that suits the file system of `path`.
size_t read_concurrency(const std::string& path, const config::Settings& settings);

}  // namespace sparkify::pipeline
