#include "lake/lake_transaction.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <sstream>
#include <stdexcept>

#include "lake/lake_folder.h"
#include "model/error.h"
#include "model/failpoint.h"

namespace sparkify::lake {
namespace {

constexpr std::string_view kStagingPrefix = ".sparkify-staging-";
constexpr const char* kJournalFile = "_sparkify_commit";
// In each staged table: the load it belongs to. After a local swap the
// staged folder holds the old table, whose file names another load (or is
// absent), which is how a resumed commit tells the two apart.
constexpr const char* kTableLoadFile = ".sparkify-load";
constexpr std::string_view kJournalHeader = "sparkify lake commit 1";

std::string journal_text(const CommitJournal& journal) {
  std::string text = std::string(kJournalHeader) + "\n";
  text += "load " + journal.load_id + "\n";
  text += "staging " + journal.staging + "\n";
  text += "decided-by " + journal.decided_by + "\n";
  for (const auto& table : journal.tables) text += "table " + table + "\n";
  return text;
}

CommitJournal parse_journal(std::string_view text, const std::string& path) {
  CommitJournal journal;
  std::istringstream in{std::string(text)};
  std::string line;
  if (!std::getline(in, line) || line != kJournalHeader) {
    throw IoError(path + " is not a commit journal this version can read");
  }
  while (std::getline(in, line)) {
    size_t space = line.find(' ');
    std::string key = line.substr(0, space);
    std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "load") journal.load_id = value;
    if (key == "staging") journal.staging = value;
    if (key == "decided-by") journal.decided_by = value;
    if (key == "table") journal.tables.push_back(value);
  }
  if (journal.load_id.empty() || journal.staging.rfind(kStagingPrefix, 0) != 0 ||
      journal.staging.find('/') != std::string::npos) {
    throw IoError(path + " is damaged: it names no load or no staging folder of this lake");
  }
  return journal;
}

std::string read_small(io::FileSystem& fs, const std::string& path) {
  if (!fs.exists(path)) return {};
  return std::string(fs.read(path).view());
}

std::string lock_holder() {
  char host[256] = {};
  ::gethostname(host, sizeof(host) - 1);
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char when[32] = {};
  std::strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return "sparkify process " + std::to_string(::getpid()) + " on " + host + ", since " + when + "\n";
}

// Puts every table of `journal` in place and removes the journal and the
// staging folder. Safe to run again after it was interrupted.
void complete(io::FileSystem& fs, const std::string& root, const CommitJournal& journal) {
  std::string staging = io::join_path(root, journal.staging);
  for (const auto& table : journal.tables) {
    std::string staged = io::join_path(staging, table);
    std::string target = io::join_path(root, table);
    if (read_small(fs, io::join_path(staged, kTableLoadFile)) == journal.load_id) {
      fs.replace_tree(staged, target);
      // A store that swaps in several steps gets the marker only once the
      // table is whole.
      if (!fs.replaces_atomically()) fs.write_file(io::join_path(target, "_SUCCESS"), "");
      model::failpoint("lake-table-swapped");
    } else if (read_small(fs, io::join_path(target, kTableLoadFile)) != journal.load_id) {
      throw IoError("cannot complete the commit of load " + journal.load_id + " into " + root + ": table " +
                    table + " is neither staged nor in place");
    }
  }
  fs.remove_all(io::join_path(root, kJournalFile));
  fs.remove_all(staging);
}

void undo(io::FileSystem& fs, const std::string& root, const CommitJournal& journal) {
  // The journal goes first: staging without a journal is only leftovers.
  fs.remove_all(io::join_path(root, kJournalFile));
  fs.remove_all(io::join_path(root, journal.staging));
}

}  // namespace

std::string new_load_id() {
  std::random_device seed;
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char when[32] = {};
  std::strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", std::gmtime(&now));
  char random[17] = {};
  std::snprintf(random, sizeof(random), "%08x%08x", seed(), seed());
  return std::string(when) + "-" + std::to_string(::getpid()) + "-" + random;
}

LakeTransaction::LakeTransaction(io::FileSystem& fs, std::string root, const Decider& decide)
    : fs_(fs), root_(std::move(root)) {
  if (root_.empty()) throw UsageError("the lake path is empty: give --lake a folder or an s3:// prefix");
  std::string reason;
  LakeFolderKind kind = classify_lake_folder(fs_, root_, &reason);
  if (kind == LakeFolderKind::kForeign) {
    throw UsageError(root_ + " is not empty and is not a sparkify lake (it holds " + reason +
                     "); the tool writes a lake only into a new or empty folder, or one of its own lakes");
  }
  // From here on the lake may change: only under the lock.
  lock_ = fs_.try_lock(io::join_path(root_, kLakeLock), lock_holder());

  std::string journal_path = io::join_path(root_, kJournalFile);
  if (fs_.exists(journal_path)) {
    CommitJournal journal = parse_journal(fs_.read(journal_path).view(), journal_path);
    bool committed = true;
    if (!journal.decided_by.empty()) {
      if (!decide) {
        throw UsageError(root_ + " holds a commit of load " + journal.load_id + " that was interrupted; whether it " +
                         "stands depends on the warehouse " + journal.decided_by +
                         ": run again with that warehouse as --target");
      }
      committed = decide(journal);
    }
    if (committed) {
      complete(fs_, root_, journal);
      recovery_note_ = "completed the interrupted commit of load " + journal.load_id + " into " + root_;
    } else {
      undo(fs_, root_, journal);
      recovery_note_ = "undid the interrupted commit of load " + journal.load_id + " into " + root_ +
                       " (the warehouse " + journal.decided_by + " never committed it)";
    }
  }
  // Staging that no journal names was left by a killed run. Only a locked
  // lake (a local disk) can tell: on S3 another writer may be alive.
  if (lock_) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(root_, error)) {
      if (entry.path().filename().string().rfind(kStagingPrefix, 0) == 0) fs_.remove_all(entry.path().string());
    }
  }
  std::random_device seed;
  staging_name_ = std::string(kStagingPrefix) + std::to_string(::getpid()) + "-" + std::to_string(seed() & 0xffffff);
}

LakeTransaction::~LakeTransaction() { abort(); }

std::string LakeTransaction::staged_table_dir(const std::string& table) const {
  return io::join_path(io::join_path(root_, staging_name_), table);
}

void LakeTransaction::intend_commit(const std::vector<std::string>& tables, const std::string& load_id,
                                    const std::string& decided_by) {
  // Once committed or aborted the staging folder is gone: a second commit
  // would replace every table with an empty one.
  if (stage_ != Stage::kOpen) throw std::logic_error("lake transaction under " + root_ + " is already finished");
  for (const auto& table : tables) {
    std::string staged = staged_table_dir(table);
    // An empty table is a folder with its markers only.
    fs_.write_file(io::join_path(staged, kTableLoadFile), load_id);
    if (fs_.replaces_atomically()) fs_.write_file(io::join_path(staged, "_SUCCESS"), "");
  }
  // The marker comes with the first commit: a run that fails before it
  // leaves no lake behind.
  std::string marker = io::join_path(root_, kLakeMarker);
  if (!fs_.exists(marker)) fs_.write_file(marker, "sparkify-etl lake, format 1\n");
  intended_tables_ = tables;
  load_id_ = load_id;
  fs_.write_file(io::join_path(root_, kJournalFile),
                 journal_text(CommitJournal{load_id, staging_name_, decided_by, tables}));
  stage_ = Stage::kIntended;
  model::failpoint("lake-journal-written");
}

void LakeTransaction::finish_commit() {
  if (stage_ != Stage::kIntended) throw std::logic_error("lake commit under " + root_ + " was not intended");
  stage_ = Stage::kFinishing;
  try {
    complete(fs_, root_, CommitJournal{load_id_, staging_name_, "", intended_tables_});
  } catch (const std::exception& error) {
    throw IncompleteCommitError("the commit of load " + load_id_ + " into " + root_ + " stopped part way (" +
                                error.what() + "); the next run into this lake completes it first");
  }
  stage_ = Stage::kDone;
}

void LakeTransaction::commit(const std::vector<std::string>& tables, const std::string& load_id) {
  intend_commit(tables, load_id);
  finish_commit();
}

void LakeTransaction::leave_undecided() noexcept {
  if (stage_ == Stage::kIntended) stage_ = Stage::kDone;
}

void LakeTransaction::abort() noexcept {
  if (stage_ == Stage::kFinishing || stage_ == Stage::kDone) return;
  Stage was = stage_;
  stage_ = Stage::kDone;
  try {
    if (was == Stage::kIntended) fs_.remove_all(io::join_path(root_, kJournalFile));
    fs_.remove_all(io::join_path(root_, staging_name_));
  } catch (...) {
    // Best effort: the next run removes what a failed cleanup left, and a
    // journal left behind is undone or completed as its decider says.
  }
}

}  // namespace sparkify::lake
