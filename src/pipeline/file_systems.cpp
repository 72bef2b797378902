#include "pipeline/file_systems.h"

#include <thread>

#include "io/local_file_system.h"

namespace sparkify::pipeline {

std::unique_ptr<io::FileSystem> open_file_system(const std::string&, const config::Settings&) {
  return std::make_unique<io::LocalFileSystem>();
}

size_t read_concurrency(const std::string&, const config::Settings& settings) {
  if (settings.threads > 0) return static_cast<size_t>(settings.threads);
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace sparkify::pipeline
