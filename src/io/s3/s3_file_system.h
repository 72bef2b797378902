// FileSystem on Amazon S3 or an S3-compatible server, over libcurl.
//
// Paths are s3://bucket/key URIs; a "folder" is a key prefix ending in '/'.
// Requests are signed with SigV4 (unless S3Options::no_sign_request), sent
// over kept-alive connections, and retried as the AWS SDKs retry: transient
// failures (500, 502, 503, 504, SlowDown, RequestTimeout, timeouts, dropped
// connections, bodies cut short) up to S3Options::max_attempts attempts in
// all, with exponential backoff and full jitter. 403 and 404 fail at once.
// Every failure is an IoError that names the bucket and key and says what to
// check; no message ever holds the access key id, the secret or the token.
//
// Thread-safe: any method may run on many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "io/s3/s3_options.h"
#include "io/s3/s3_uri.h"

namespace sparkify::io {

namespace s3_internal {
class Client;
}

// What an S3FileSystem has done so far, for progress displays. Each count
// only grows.
struct S3Activity {
  uint64_t keys_listed = 0;  // keys in listing pages, before any filter
  uint64_t retries = 0;      // requests sent again after a transient failure
};

class S3FileSystem final : public FileSystem {
 public:
  explicit S3FileSystem(S3Options options);
  ~S3FileSystem() override;

  // ListObjectsV2 under `root`, 1,000 keys a page. "s3://b/p" lists the
  // objects below "p/" (or just the object "p" when there are none), and
  // "s3://b/p/" and "s3://b" list below the prefix or the whole bucket.
  // Keys ending in '/' (folder markers) and keys with a segment below the
  // root that starts with '.' are skipped, as hidden files are on a disk.
  // Throws IoError naming the bucket when it does not exist, and naming the
  // root when nothing is there.
  std::vector<FileEntry> list(const std::string& root, const std::vector<std::string>& suffixes) override;

  Bytes read(const std::string& path) override;

  // GETs `files` with up to S3Options::max_connections requests in flight on
  // kept-alive connections, and runs `on_file` on `concurrency` threads of
  // its own while later files are still coming. Downloaded files wait for
  // `on_file` in a bounded queue, so memory stays bounded when `on_file` is
  // the slower side. The first failure (a GET that failed for good, or an
  // exception from `on_file`) stops the rest and is rethrown.
  void read_many(const std::vector<FileEntry>& files, size_t concurrency,
                 const std::function<void(size_t index, Bytes bytes)>& on_file) override;

  // An OutputStream that keeps what is written in memory and PUTs it on
  // close(). Past S3Options::multipart_threshold it switches to a multipart
  // upload and sends each part of S3Options::part_size bytes as it fills, so
  // at most about one part is held; close() completes the upload, and
  // abort(), a failure or destruction without close() aborts it (servers
  // that refuse AbortMultipartUpload are tolerated; S3 then drops the parts
  // by the bucket's lifecycle rules). Nothing is visible at `path` before
  // close() returns. REQUIRES: the stream dies before this file system.
  std::unique_ptr<OutputStream> create(const std::string& path) override;

  // One server-side CopyObject (objects up to 5 GiB).
  void copy_file(const std::string& from, const std::string& to) override;

  // True when `path` is an object, a prefix with objects below it, or (for
  // "s3://bucket") an existing bucket.
  bool exists(const std::string& path) override;

  // Deletes the object `path` and every object below "path/" (the whole
  // bucket's objects for "s3://bucket"), 1,000 keys per DeleteObjects
  // request, or one DELETE per key on servers without DeleteObjects.
  void remove_all(const std::string& path) override;

  // Puts the objects below `staged` in place of those below `target`.
  //
  // NOT ATOMIC on S3. S3 has no rename and no transaction over several
  // keys, so this deletes the target objects the staged tree does not have,
  // then copies every staged object to its place below `target`
  // (server-side CopyObject, many at once). The staged objects stay, for the
  // caller to remove. While it runs, a reader of `target` may see part of
  // the old tree, or a mix of old and new objects. If it fails, `target`
  // holds such a partial tree and `staged` is whole, so calling it again
  // completes the replacement. The IoError says which step failed. Readers that need
  // a consistent view should look for a marker object written after this
  // returns: an old marker the staged tree lacks is gone before the first
  // copy. Objects over 5 GiB (CopyObject's limit) are refused before
  // anything is changed. Throws IoError when nothing is staged.
  void replace_tree(const std::string& staged, const std::string& target) override;

  // Creates `bucket` in the options' region; no error when it already
  // exists and is ours. For tests and benchmarks on a local server.
  void create_bucket(const std::string& bucket);

  const S3Options& options() const;

  // Counts of its requests so far; cheap (two relaxed loads), any thread.
  S3Activity activity() const;

 private:
  std::unique_ptr<s3_internal::Client> client_;
};

}  // namespace sparkify::io
