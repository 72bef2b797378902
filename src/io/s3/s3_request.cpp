#include "io/s3/s3_request_internal.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace sparkify::io::s3_internal {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr char kLowerHex[] = "0123456789abcdef";

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

void append_escaped(std::string& out, char c) {
  auto byte = static_cast<unsigned char>(c);
  out += '%';
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

std::string aws_host(const std::string& region) {
  // The China regions live under their own domain.
  return "s3." + region + (region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com");
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (char c : text) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out += c;
    } else {
      append_escaped(out, c);
    }
  }
  return out;
}

std::string canonical_query(QueryParams params) {
  for (auto& [name, value] : params) {
    name = uri_encode(name, false);
    value = uri_encode(value, false);
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string copy_source(std::string_view bucket, std::string_view key) {
  std::string out = "/" + std::string(bucket) + "/";
  for (char c : key) {
    if (is_unreserved(c) || std::string_view("/=:@,;$!*'()").find(c) != std::string_view::npos) {
      out += c;
    } else {
      append_escaped(out, c);
    }
  }
  return out;
}

bool is_dns_compatible_bucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  if (bucket.front() == '-' || bucket.back() == '-') return false;
  return std::all_of(bucket.begin(), bucket.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::string object_url(const S3Options& options, std::string_view bucket, std::string_view key,
                       std::string_view query) {
  std::string scheme = "https://";
  std::string authority = aws_host(options.region);
  std::string base_path;
  if (!options.endpoint.empty()) {
    std::string_view endpoint = options.endpoint;
    size_t scheme_end = endpoint.find("://");
    scheme = std::string(endpoint.substr(0, scheme_end + 3));
    endpoint.remove_prefix(scheme_end + 3);
    size_t slash = endpoint.find('/');
    authority = std::string(endpoint.substr(0, slash));
    if (slash != std::string_view::npos) base_path = std::string(endpoint.substr(slash));
    while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
  }
  std::string url;
  if (options.path_style || !is_dns_compatible_bucket(bucket)) {
    url = scheme + authority + base_path + "/" + std::string(bucket);
    if (!key.empty()) url += "/" + uri_encode(key, true);
  } else {
    url = scheme + std::string(bucket) + "." + authority + base_path + "/" + uri_encode(key, true);
  }
  if (!query.empty()) {
    url += '?';
    url += query;
  }
  return url;
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string out;
  out.reserve(length * 2);
  for (unsigned int byte_idx = 0; byte_idx < length; ++byte_idx) {
    out += kLowerHex[digest[byte_idx] >> 4];
    out += kLowerHex[digest[byte_idx] & 0xF];
  }
  return out;
}

std::string md5_base64(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_md5(), nullptr);
  std::array<unsigned char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> encoded{};
  int encoded_length = EVP_EncodeBlock(encoded.data(), digest.data(), static_cast<int>(length));
  return std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<size_t>(encoded_length));
}

Verdict classify(bool transport_ok, bool transport_transient, long status, std::string_view error_code) {
  if (!transport_ok) return transport_transient ? Verdict::kRetry : Verdict::kFail;
  // The AWS SDKs' throttling and transient error codes that S3 sends.
  static constexpr std::string_view kRetryableCodes[] = {
      "SlowDown",         "RequestTimeout",         "InternalError",          "ServiceUnavailable",
      "Throttling",       "ThrottlingException",    "RequestThrottled",       "RequestThrottledException",
      "TooManyRequestsException", "RequestLimitExceeded", "BandwidthLimitExceeded", "PriorRequestNotComplete"};
  if (!error_code.empty() &&
      std::find(std::begin(kRetryableCodes), std::end(kRetryableCodes), error_code) != std::end(kRetryableCodes)) {
    return Verdict::kRetry;
  }
  if (status == 500 || status == 502 || status == 503 || status == 504) return Verdict::kRetry;
  if (status >= 200 && status < 300 && error_code.empty()) return Verdict::kSuccess;
  return Verdict::kFail;
}

std::chrono::milliseconds retry_delay(int retry, std::chrono::milliseconds base_delay,
                                      std::chrono::milliseconds max_delay, double unit_random) {
  double ceiling = static_cast<double>(base_delay.count()) * std::ldexp(1.0, std::clamp(retry - 1, 0, 30));
  ceiling = std::min(ceiling, static_cast<double>(max_delay.count()));
  unit_random = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(unit_random * ceiling));
}

std::string redact(std::string message, const S3Options& options) {
  // The user and password of the endpoint, wherever a URL built from it
  // shows them ("user:pw@" cannot blank out an ordinary word).
  if (std::string_view userinfo = url_userinfo(options.endpoint); !userinfo.empty()) {
    const std::string shown = std::string(userinfo) + "@";
    const std::string hidden = "[redacted]@";
    for (size_t at = message.find(shown); at != std::string::npos; at = message.find(shown, at)) {
      message.replace(at, shown.size(), hidden);
      at += hidden.size();
    }
  }
  // Short values would blank out ordinary words; no real key is that short.
  constexpr size_t kShortest = 4;
  for (const std::string* secret : {&options.secret_access_key, &options.session_token, &options.access_key_id}) {
    if (secret->size() < kShortest) continue;
    for (size_t at = message.find(*secret); at != std::string::npos; at = message.find(*secret, at)) {
      message.replace(at, secret->size(), "[redacted]");
      at += 10;
    }
  }
  return message;
}

}  // namespace sparkify::io::s3_internal
