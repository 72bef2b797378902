// s3://bucket/key URIs, the way paths name objects and prefixes in S3.
#pragma once

#include <string>
#include <string_view>

namespace sparkify::io {

struct S3Uri {
  std::string bucket;
  // Everything after the bucket's '/', as given: an object key, a prefix
  // ("song_data" or "song_data/"), or empty for the whole bucket.
  std::string key;

  // "s3://bucket/key" ("s3://bucket" when the key is empty).
  std::string str() const;
};

// True when `path` starts with "s3://".
bool is_s3_uri(std::string_view path);

// Splits an s3:// URI into bucket and key. Throws UsageError naming the URI
// when it does not start with "s3://" or its bucket name is empty or holds
// characters no bucket name has (S3 allows letters, digits, '.', '-', and
// '_' in old us-east-1 buckets).
S3Uri parse_s3_uri(std::string_view uri);

}  // namespace sparkify::io
