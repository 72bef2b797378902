#include "pipeline/file_systems.h"

#include "io/local_file_system.h"
#include "io/s3/s3_file_system.h"

namespace sparkify::pipeline {
FileSystems::FileSystems(const config::Settings& settings)
    : settings_(settings), local_(std::make_shared<io::LocalFileSystem>(config::threads_to_use(settings))) {}

std::shared_ptr<io::FileSystem> FileSystems::for_path(const std::string& path) {
  if (!io::is_s3_uri(path)) return local_;
  std::lock_guard lock(mutex_);
  if (!s3_) {
    io::S3Overrides overrides;
    overrides.region = settings_.aws_region;
    overrides.endpoint = settings_.s3_endpoint;
    overrides.access_key_id = settings_.aws_key;
    overrides.secret_access_key = settings_.aws_secret;
    overrides.profile = settings_.aws_profile;
    overrides.no_sign_request = settings_.no_sign_request;
    if (settings_.s3_max_attempts > 0) overrides.max_attempts = settings_.s3_max_attempts;
    io::S3Options options = io::resolve_s3_options(overrides, io::process_getenv, io::process_home());
    if (settings_.s3_connections > 0) options.max_connections = static_cast<size_t>(settings_.s3_connections);
    s3_description_ = io::describe_s3_options(options);
    s3_ = std::make_shared<io::S3FileSystem>(std::move(options));
  }
  return s3_;
}

std::string FileSystems::describe_s3() const {
  std::lock_guard lock(mutex_);
  return s3_description_;
}

TransferActivity FileSystems::activity() const {
  std::lock_guard lock(mutex_);
  if (!s3_) return {};
  io::S3Activity activity = s3_->activity();
  return {activity.keys_listed, activity.retries};
}

size_t FileSystems::read_concurrency(const std::string& path) const {
  // Parsing threads: the S3 client keeps its own many requests in flight
  // and hands finished files to these.
  (void)path;
  return config::threads_to_use(settings_);
}

}  // namespace sparkify::pipeline
