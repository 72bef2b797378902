// A test tool of tests/tools run with node as a child process: it prints
// "listening 127.0.0.1:PORT" once it serves, and is stopped (SIGTERM) when
// the object dies. The fault proxy and the Redshift emulator are such tools.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace sparkify::testing {

class NodeTool {
 public:
  // Runs `node SPARKIFY_SOURCE_DIR/tests/tools/<script> <args…>` and waits
  // (up to 30 s) for its "listening" line; throws std::runtime_error naming
  // `script` when it does not come.
  NodeTool(const std::string& script, const std::vector<std::string>& args) {
    std::vector<std::string> words = {"node", std::string(SPARKIFY_SOURCE_DIR) + "/tests/tools/" + script};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    int spawned = ::posix_spawnp(&pid_, "node", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) {
      ::close(out[0]);
      throw std::runtime_error("cannot start node for " + script);
    }
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd ready{out[0], POLLIN, 0};
      if (::poll(&ready, 1, 200) <= 0) continue;
      char buffer[256];
      ssize_t got = ::read(out[0], buffer, sizeof buffer);
      if (got <= 0) break;
      line.append(buffer, static_cast<size_t>(got));
    }
    stdout_fd_ = out[0];
    size_t colon = line.rfind(':');
    if (line.rfind("listening ", 0) != 0 || colon == std::string::npos) {
      stop();
      throw std::runtime_error(script + " did not start: '" + line + "'");
    }
    port_ = std::atoi(line.c_str() + colon + 1);
  }
  ~NodeTool() { stop(); }
  NodeTool(const NodeTool&) = delete;
  NodeTool& operator=(const NodeTool&) = delete;

  int port() const { return port_; }

 private:
  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    stdout_fd_ = -1;
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
};

}  // namespace sparkify::testing
