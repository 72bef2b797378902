// Helpers of the S3 integration tests: the local server's endpoint (or a
// reason to skip), unique bucket names, and the fault proxy
// (tests/tools/fault_proxy.mjs) run as a child process (support/node_tool.h).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "io/s3/s3_file_system.h"
#include "support/node_tool.h"

namespace sparkify::testing {

// One HTTP/1.0 request to 127.0.0.1:port; the body of the answer, or
// nullopt when nothing answers (within about two seconds).
inline std::optional<std::string> local_http(int port, const std::string& method, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  std::string request = method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return std::nullopt;
  }
  std::string reply;
  char buffer[4096];
  for (int reads = 0; reads < 10'000; ++reads) {
    ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    reply.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  if (reply.rfind("HTTP/1.", 0) != 0) return std::nullopt;
  size_t body = reply.find("\r\n\r\n");
  return body == std::string::npos ? std::string() : reply.substr(body + 4);
}

// The port of an "http://127.0.0.1:PORT" endpoint, or 0.
inline int endpoint_port(const std::string& endpoint) {
  size_t colon = endpoint.rfind(':');
  if (colon == std::string::npos) return 0;
  return std::atoi(endpoint.c_str() + colon + 1);
}

// SPARKIFY_TEST_S3_ENDPOINT when a server answers there; otherwise nullopt
// and `why` says what to do.
inline std::optional<std::string> s3_test_endpoint(std::string& why) {
  const char* endpoint = std::getenv("SPARKIFY_TEST_S3_ENDPOINT");
  if (endpoint == nullptr || *endpoint == '\0') {
    why = "SPARKIFY_TEST_S3_ENDPOINT is unset: start the local S3 server with "
          "eval \"$(scripts/start-s3.sh)\" to run the S3 tests";
    return std::nullopt;
  }
  std::string value = endpoint;
  if (value.rfind("http://127.0.0.1:", 0) != 0 || !local_http(endpoint_port(value), "GET", "/")) {
    why = "nothing answers at SPARKIFY_TEST_S3_ENDPOINT=" + value +
          " (an http://127.0.0.1:PORT endpoint): start it with scripts/start-s3.sh";
    return std::nullopt;
  }
  return value;
}

// A bucket name no other test run uses.
inline std::string unique_bucket(const std::string& stem) {
  static std::mt19937_64 rng{std::random_device{}()};
  return stem + "-" + std::to_string(rng() % 1'000'000'000'000ULL);
}

// Options for the local S3 server at `endpoint`: path-style, the access key
// id it takes (S3RVER), any secret.
inline io::S3Options local_s3_options(const std::string& endpoint, const std::string& secret) {
  io::S3Options options;
  options.endpoint = endpoint;
  options.path_style = true;
  options.access_key_id = "S3RVER";
  options.secret_access_key = secret;
  options.credentials_source = "the test";
  return options;
}

// A bucket of its own on the local server, emptied when the object dies
// (s3rver keeps objects on disk; the bucket itself stays).
class TestBucket {
 public:
  TestBucket(const std::string& endpoint, const std::string& stem, const std::string& secret)
      : name_(unique_bucket(stem)), s3_(local_s3_options(endpoint, secret)) {
    s3_.create_bucket(name_);
  }
  ~TestBucket() {
    try {
      s3_.remove_all("s3://" + name_);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "cannot empty s3://" << name_ << ": " << error.what();
    }
  }
  TestBucket(const TestBucket&) = delete;
  TestBucket& operator=(const TestBucket&) = delete;

  const std::string& name() const { return name_; }
  // s3://bucket/key
  std::string uri(const std::string& key) const { return "s3://" + name_ + "/" + key; }
  io::S3FileSystem& s3() { return s3_; }

 private:
  std::string name_;
  io::S3FileSystem s3_;
};

// tests/tools/fault_proxy.mjs in front of `target`, with `flags`; stopped
// (SIGTERM) when the object dies.
class FaultProxy {
 public:
  FaultProxy(const std::string& target, const std::vector<std::string>& flags)
      : tool_("fault_proxy.mjs", with_target(target, flags)) {}

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(tool_.port()); }

  // A counter of /__stats ("requests", "failed", "dropped", …); -1 when
  // the proxy does not answer.
  long stat(const std::string& name) const {
    auto json = local_http(tool_.port(), "GET", "/__stats");
    if (!json) return -1;
    size_t at = json->find("\"" + name + "\":");
    if (at == std::string::npos) return -1;
    return std::strtol(json->c_str() + at + name.size() + 3, nullptr, 10);
  }

  std::string stats() const { return local_http(tool_.port(), "GET", "/__stats").value_or("(no answer)"); }

  void reset() const { local_http(tool_.port(), "POST", "/__reset"); }

 private:
  static std::vector<std::string> with_target(const std::string& target, const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"--target", target, "--lifetime-s", "120"};
    args.insert(args.end(), flags.begin(), flags.end());
    return args;
  }

  NodeTool tool_;
};

}  // namespace sparkify::testing
