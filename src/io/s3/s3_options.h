// Where S3 requests go and how they are signed: S3Options, and the resolver
// that fills it from explicit values, the environment and the AWS shared
// files in the order the AWS CLI uses.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sparkify::io {

inline constexpr size_t kMiB = size_t{1} << 20;

struct S3Options {
  std::string region = "us-east-1";
  // "http(s)://host[:port]" of an S3-compatible server; empty for AWS.
  std::string endpoint;
  // Path-style (https://host/bucket/key) rather than virtual-hosted style
  // (https://bucket.host/key). Buckets whose names are not valid host names
  // are always addressed path-style.
  bool path_style = false;
  // Anonymous requests, for public buckets: nothing is signed.
  bool no_sign_request = false;
  // Secrets: never printed, logged or put in an error message.
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  // The profile of the shared files that was consulted.
  std::string profile;
  // Where the credentials came from ("the environment", "profile 'x' in
  // ~/.aws/credentials", …), for error messages.
  std::string credentials_source;

  // Requests in flight at once in read_many() and in the bulk operations,
  // each on its own kept-alive connection.
  size_t max_connections = 64;
  // Objects larger than this are uploaded in parts of part_size bytes. S3
  // wants parts of at least 5 MiB (the last one excepted) and at most 10,000
  // parts, so part_size bounds an object at 10,000 * part_size bytes.
  size_t multipart_threshold = 8 * kMiB;
  size_t part_size = 8 * kMiB;

  // Attempts per request in all, the first included (the AWS SDKs' standard
  // mode: 3). Retries wait a random time in [0, min(retry_max_delay,
  // retry_base_delay * 2^retry)) ("full jitter").
  int max_attempts = 3;
  std::chrono::milliseconds retry_base_delay{1000};
  std::chrono::milliseconds retry_max_delay{20'000};

  std::chrono::milliseconds connect_timeout{10'000};
  // The whole request, body included; zero for no limit.
  std::chrono::milliseconds request_timeout{0};
  // A transfer that moves no byte for this long is dropped (and retried).
  std::chrono::seconds stall_timeout{60};
};

// Values given explicitly (flags, the config file); they win over the
// environment and the AWS shared files.
struct S3Overrides {
  std::optional<std::string> region;
  std::optional<std::string> endpoint;
  std::optional<bool> path_style;
  std::optional<std::string> access_key_id;
  std::optional<std::string> secret_access_key;
  std::optional<std::string> session_token;
  std::optional<std::string> profile;
  std::optional<int> max_attempts;
  bool no_sign_request = false;
};

// Resolves S3Options as the AWS CLI does, each value from the first source
// that has it:
//   credentials: explicit key and secret (and token); the environment
//     (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), skipped
//     when a profile was given explicitly; the profile in the credentials
//     file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials,
//     sections "[name]"); the profile in the config file (AWS_CONFIG_FILE,
//     default ~/.aws/config, sections "[default]" and "[profile name]").
//     None at all with no_sign_request.
//   profile: explicit; AWS_PROFILE; AWS_DEFAULT_PROFILE; "default".
//   region: explicit; AWS_REGION; AWS_DEFAULT_REGION; the profile's
//     `region`; "us-east-1".
//   endpoint: explicit; AWS_ENDPOINT_URL_S3; AWS_ENDPOINT_URL; the profile's
//     `s3 = endpoint_url`, its `services` section, its `endpoint_url`; none
//     (AWS). AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips all but explicit.
//   max_attempts: explicit; AWS_MAX_ATTEMPTS; the profile's `max_attempts`;
//     3. Each must be a whole number of at least 1.
//   path_style: explicit; the profile's `s3 = addressing_style`; true with a
//     custom endpoint, false for AWS.
// `getenv` answers for the environment (nullopt or "" for unset) and `home`
// stands for "~". Throws UsageError when credentials are missing or
// incomplete, when a named profile is in neither file, when the profile
// needs a credential provider this tool lacks (SSO, role_arn,
// credential_process), or when the endpoint is not an http(s) URL. The
// message never holds a secret.
S3Options resolve_s3_options(const S3Overrides& explicit_values,
                             const std::function<std::optional<std::string>(const std::string&)>& getenv,
                             const std::string& home);

// The real environment and home folder, for resolve_s3_options().
std::optional<std::string> process_getenv(const std::string& name);
std::string process_home();

// "region eu-west-1, AWS, virtual-hosted style, credentials from the
// environment": for logs; never holds a secret or the access key id, nor the
// user and password of an endpoint such as http://user:password@host.
std::string describe_s3_options(const S3Options& options);

// The user and password of `url`'s authority ("user:password" of
// http://user:password@host:9000/base), or empty when it has none.
std::string_view url_userinfo(std::string_view url);

// `url` with its url_userinfo() replaced by "[redacted]", for logs and
// messages; a URL without one comes back unchanged.
std::string redact_url_userinfo(std::string_view url);

}  // namespace sparkify::io
