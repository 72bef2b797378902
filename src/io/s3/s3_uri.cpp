#include "io/s3/s3_uri.h"

#include <algorithm>

#include "model/error.h"

namespace sparkify::io {

namespace {

constexpr std::string_view kScheme = "s3://";

bool is_bucket_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

}  // namespace

std::string S3Uri::str() const {
  std::string out(kScheme);
  out += bucket;
  if (!key.empty()) {
    out += '/';
    out += key;
  }
  return out;
}

bool is_s3_uri(std::string_view path) { return path.substr(0, kScheme.size()) == kScheme; }

S3Uri parse_s3_uri(std::string_view uri) {
  if (!is_s3_uri(uri)) {
    throw UsageError("not an S3 URI: '" + std::string(uri) + "' (expected s3://bucket/prefix)");
  }
  std::string_view rest = uri.substr(kScheme.size());
  size_t slash = rest.find('/');
  S3Uri parsed;
  parsed.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) parsed.key = std::string(rest.substr(slash + 1));
  if (parsed.bucket.empty()) {
    throw UsageError("S3 URI '" + std::string(uri) + "' names no bucket (expected s3://bucket/prefix)");
  }
  if (!std::all_of(parsed.bucket.begin(), parsed.bucket.end(), is_bucket_char)) {
    throw UsageError("S3 URI '" + std::string(uri) + "' has an invalid bucket name '" + parsed.bucket +
                     "' (letters, digits, '.' and '-' only)");
  }
  return parsed;
}

}  // namespace sparkify::io
