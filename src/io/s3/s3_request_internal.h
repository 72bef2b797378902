// Private to the S3 module: the pure parts of building, signing and retrying
// requests, kept apart from libcurl so that unit tests can reach them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/s3/s3_options.h"

namespace sparkify::io::s3_internal {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes every byte but A-Z a-z 0-9 - _ . ~ (and '/' when
// `keep_slash`), as SigV4 canonicalises: what is sent must already be in
// that form, for libcurl 7.88 signs the URL as it is.
std::string uri_encode(std::string_view text, bool keep_slash);

// "a=1&b=x%2Fy": names and values encoded, sorted by name then value, and
// every parameter written with its '=' (a bare "uploads" trips the
// signature before libcurl 8.5).
std::string canonical_query(QueryParams params);

// The x-amz-copy-source value for bucket/key. It encodes less than
// uri_encode() does: S3 decodes it fully, but some S3-compatible servers
// (s3rver) decode it with JavaScript's decodeURI, which leaves %3D and the
// like as they are, so characters that are safe in a header stay plain.
// '+' cannot: S3 reads a plain '+' there as a space, so it goes as %2B, and
// such keys cannot be copied on those servers.
std::string copy_source(std::string_view bucket, std::string_view key);

// True when `bucket` can be the first label of a host name (virtual-hosted
// addressing): 3 to 63 lowercase letters, digits and '-', no dots (a dot
// breaks the TLS wildcard certificate).
bool is_dns_compatible_bucket(std::string_view bucket);

// The URL of bucket/key (key may be empty) with `query` appended as is.
std::string object_url(const S3Options& options, std::string_view bucket, std::string_view key,
                       std::string_view query);

// Hex SHA-256 of `data`, for x-amz-content-sha256.
std::string sha256_hex(std::string_view data);
// Base64 MD5 of `data`, for Content-MD5.
std::string md5_base64(std::string_view data);

// What to do after one attempt.
enum class Verdict { kSuccess, kRetry, kFail };

// `transport_ok` is false when no complete response came (timeout, refused
// or dropped connection, partial body); `transport_transient` then says
// whether that failure may heal (DNS and TLS certificate errors do not).
// Otherwise `status` and the S3 error code of the body decide: 500, 502,
// 503, 504 and the throttling and timeout codes (SlowDown, RequestTimeout,
// InternalError, …) are retried; everything else, 403 and 404 among them,
// is final.
Verdict classify(bool transport_ok, bool transport_transient, long status, std::string_view error_code);

// The wait before retry number `retry` (1 for the first retry): full
// jitter, `unit_random` in [0, 1) times min(max_delay, base_delay *
// 2^(retry - 1)).
std::chrono::milliseconds retry_delay(int retry, std::chrono::milliseconds base_delay,
                                      std::chrono::milliseconds max_delay, double unit_random);

// `message` with every occurrence of the access key id, the secret, the
// session token and the user and password of the endpoint URL replaced by
// "[redacted]".
std::string redact(std::string message, const S3Options& options);

}  // namespace sparkify::io::s3_internal
