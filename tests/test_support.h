// Helpers shared by the tests: private temporary folders and the shared
// sample extract, which a user's clone does not have.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <fstream>
#include <optional>
#include <random>
#include <regex>
#include <string>

namespace sparkify::testing {

// A fresh folder under the system temp dir (or under `parent`), removed
// when the object dies.
class TempDir {
 public:
  TempDir() : TempDir(std::filesystem::temp_directory_path()) {}
  explicit TempDir(const std::filesystem::path& parent) {
    std::random_device seed;
    path_ = parent / ("sparkify-test-" + std::to_string(seed()) + std::to_string(seed()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// /dev/shm where it is a writable folder, else the system temp dir: for
// tests that make and remove thousands of files, which a busy disk makes
// slow.
inline std::filesystem::path memory_temp_parent() {
  std::error_code error;
  if (std::filesystem::is_directory("/dev/shm", error) && ::access("/dev/shm", W_OK) == 0) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

inline void write_text(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// What a run of the sparkify binary gave: its exit status and its stdout and
// stderr together.
struct CliOutcome {
  int status = -1;
  std::string output;
};

#ifdef SPARKIFY_BINARY_DIR
// Runs the built sparkify binary with `arguments` (shell words), no stdin,
// after `environment` (empty, or an "env NAME=value … " prefix).
inline CliOutcome run_sparkify_with(const std::string& environment, const std::string& arguments) {
  TempDir dir;
  std::string command = environment + std::string(SPARKIFY_BINARY_DIR) + "/src/cli/sparkify " + arguments + " >" +
                        (dir / "out") + " 2>&1 </dev/null";
  int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(dir / "out")};
}

// Runs the built sparkify binary with `arguments` (shell words), no stdin.
inline CliOutcome run_sparkify(const std::string& arguments) { return run_sparkify_with("", arguments); }
#endif

// A line that a run not on a terminal writes to stderr:
// "2026-11-28T13:45:01.123Z text".
struct LogLine {
  int64_t milliseconds = 0;  // since the epoch
  std::string text;
};

// The line's time and text, or nullopt when it does not start with such a
// timestamp.
inline std::optional<LogLine> parse_log_line(const std::string& line) {
  static const std::regex timestamped(R"(^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z (.+)$)");
  std::smatch match;
  if (!std::regex_match(line, match, timestamped)) return std::nullopt;
  std::tm utc{};
  utc.tm_year = std::stoi(match[1]) - 1900;
  utc.tm_mon = std::stoi(match[2]) - 1;
  utc.tm_mday = std::stoi(match[3]);
  utc.tm_hour = std::stoi(match[4]);
  utc.tm_min = std::stoi(match[5]);
  utc.tm_sec = std::stoi(match[6]);
  return LogLine{static_cast<int64_t>(::timegm(&utc)) * 1000 + std::stoi(match[7]), match[8]};
}

// Files of a lake's own bookkeeping whose content changes from run to run
// without changing what readers see: the writer lock (it names its holder)
// and each table's load id. Comparisons of lakes leave them out.
inline bool is_lake_bookkeeping(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  return name == "_sparkify.lock" || name == ".sparkify-load";
}

// Every file under the lake `root` but its bookkeeping: relative path →
// content (none when `root` is missing).
inline std::map<std::string, std::string> lake_files(const std::filesystem::path& root) {
  std::map<std::string, std::string> files;
  if (!std::filesystem::exists(root)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && !is_lake_bookkeeping(entry.path())) {
      files[std::filesystem::relative(entry.path(), root).string()] = read_text(entry.path().string());
    }
  }
  return files;
}

// The real extract at ../shared/data/sparkify-sample beside the checkout, or
// SPARKIFY_SAMPLE when set; empty when neither exists.
inline std::string sample_dir() {
  std::error_code ignored;
  if (const char* env = std::getenv("SPARKIFY_SAMPLE"); env && *env) {
    return std::filesystem::exists(std::filesystem::path(env) / "song_data", ignored) ? env : std::string();
  }
  auto path = std::filesystem::path(SPARKIFY_SOURCE_DIR) / ".." / "shared" / "data" / "sparkify-sample";
  if (std::filesystem::exists(path / "song_data", ignored)) return std::filesystem::canonical(path).string();
  return {};
}

}  // namespace sparkify::testing

// Skips the current test, with a message saying why, when the sample is absent.
#define SPARKIFY_REQUIRE_SAMPLE(dir_var)                                                  \
  std::string dir_var = ::sparkify::testing::sample_dir();                                \
  if (dir_var.empty())                                                                    \
  GTEST_SKIP() << "the sample extract ../shared/data/sparkify-sample is absent (a clone " \
                  "has none); set SPARKIFY_SAMPLE to run this test"
