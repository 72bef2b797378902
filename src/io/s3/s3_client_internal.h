// Private to the S3 module: sends S3 requests over libcurl, signed with
// libcurl's SigV4, retried as the AWS SDKs retry, one at a time or many at
// once over kept-alive connections.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/bytes.h"
#include "io/s3/s3_options.h"
#include "io/s3/s3_request_internal.h"
#include "io/s3/s3_xml_internal.h"

namespace sparkify::io::s3_internal {

struct Request {
  std::string method = "GET";  // GET, HEAD, PUT, POST or DELETE
  std::string bucket;
  std::string key;  // empty for a request on the bucket
  QueryParams query;
  std::vector<std::string> headers;  // "Name: value"; all are signed
  std::string_view body;             // of a PUT or POST; must outlive the call
  // CopyObject and CompleteMultipartUpload may answer 200 with an <Error>.
  bool error_in_ok = false;
};

struct Response {
  // False when no complete response came; transport_error then says why.
  bool transport_ok = false;
  std::string transport_error;
  long status = 0;
  Bytes body;
  std::optional<uint64_t> content_length;  // of the object, on HEAD too
  std::string etag;
  std::string bucket_region;  // x-amz-bucket-region, on wrong-region answers
  S3ErrorBody error;          // from an <Error> body
  int attempts = 0;

  bool ok() const { return transport_ok && status >= 200 && status < 300 && error.code.empty(); }
};

// Thread-safe: send() and send_many() may run on many threads at once, each
// on connections of its own from a shared pool.
class Client {
 public:
  explicit Client(S3Options options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends `request`, retrying transient failures (see classify()) with
  // backoff, options().max_attempts attempts in all, and returns the last
  // response whatever it says. Never throws for a failed request.
  Response send(const Request& request);

  // Sends requests 0..count-1, up to options().max_connections at once, and
  // hands each final response (after its retries) to `done`, on the calling
  // thread, in completion order. `make(i)` builds request i just before it
  // is first sent; its body must live until `done(i, …)`. An exception from
  // `make` or `done` stops the batch (transfers in flight are dropped) and
  // is rethrown; setting `*cancel` stops it too, and it then returns.
  void send_many(size_t count, const std::function<Request(size_t)>& make,
                 const std::function<void(size_t, Response)>& done, const std::atomic<bool>* cancel = nullptr);

  const S3Options& options() const { return options_; }

  // Requests sent again after a transient failure, since construction.
  uint64_t retries() const { return retries_.load(std::memory_order_relaxed); }
  // Keys seen by listings, since construction (list_objects() counts them).
  uint64_t keys_listed() const { return keys_listed_.load(std::memory_order_relaxed); }
  void count_keys_listed(uint64_t keys) { keys_listed_.fetch_add(keys, std::memory_order_relaxed); }

 private:
  struct Pools;
  S3Options options_;
  std::unique_ptr<Pools> pools_;
  std::atomic<uint64_t> retries_{0};
  std::atomic<uint64_t> keys_listed_{0};
};

}  // namespace sparkify::io::s3_internal
