#include "lake/lake_transaction.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <stdexcept>

namespace sparkify::lake {
namespace {

constexpr std::string_view kStagingPrefix = ".sparkify-staging-";

// Local staging folders are named after the writing process; one whose
// process has gone was left by a killed run.
void remove_abandoned_staging(io::FileSystem& fs, const std::string& root) {
  std::error_code error;
  if (!std::filesystem::is_directory(root, error)) return;
  for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(kStagingPrefix, 0) != 0) continue;
    std::string rest = name.substr(kStagingPrefix.size());
    pid_t pid = static_cast<pid_t>(std::atol(rest.substr(0, rest.find('-')).c_str()));
    if (pid > 0 && pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) {
      fs.remove_all(entry.path().string());
    }
  }
}

}  // namespace

LakeTransaction::LakeTransaction(io::FileSystem& fs, std::string root) : fs_(fs), root_(std::move(root)) {
  remove_abandoned_staging(fs_, root_);
  std::random_device seed;
  staging_dir_ = io::join_path(
      root_, std::string(kStagingPrefix) + std::to_string(::getpid()) + "-" + std::to_string(seed() & 0xffffff));
}

LakeTransaction::~LakeTransaction() { abort(); }

std::string LakeTransaction::staged_table_dir(const std::string& table) const {
  return io::join_path(staging_dir_, table);
}

void LakeTransaction::commit(const std::vector<std::string>& tables) {
  // Once committed or aborted the staging folder is gone: a second commit
  // would replace every table with an empty one.
  if (done_) throw std::logic_error("lake transaction under " + root_ + " is already finished");
  for (const auto& table : tables) {
    std::string target = io::join_path(root_, table);
    std::string staged = staged_table_dir(table);
    if (fs_.exists(staged)) {
      fs_.replace_tree(staged, target);
    } else {
      fs_.remove_all(target);  // an empty table: no data files, only _SUCCESS
    }
    fs_.write_file(io::join_path(target, "_SUCCESS"), "");
  }
  fs_.remove_all(staging_dir_);
  done_ = true;
}

void LakeTransaction::abort() noexcept {
  if (done_) return;
  done_ = true;
  try {
    fs_.remove_all(staging_dir_);
  } catch (...) {
    // Best effort: the next run removes what a failed cleanup left.
  }
}

}  // namespace sparkify::lake
