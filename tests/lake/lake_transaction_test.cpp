#include "lake/lake_transaction.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <stdexcept>

#include "io/local_file_system.h"
#include "model/error.h"
#include "test_support.h"

namespace sparkify::lake {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

// Every file and folder under `root` that a reader sees: a file's content,
// "<dir>" for a folder. The lake's own bookkeeping (marker, lock, the load
// id in each table) is left out.
std::map<std::string, std::string> tree(const std::string& root) {
  std::map<std::string, std::string> entries;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string name = fs::relative(entry.path(), root).string();
    std::string file = entry.path().filename().string();
    if (file == "_sparkify_lake" || file == "_sparkify.lock" || file == ".sparkify-load") continue;
    entries[name] = entry.is_directory() ? "<dir>" : read_text(entry.path().string());
  }
  return entries;
}

// Names at the top of `root` that start with the staging prefix.
std::vector<std::string> staging_folders(const std::string& root) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(".sparkify-staging-", 0) == 0) names.push_back(name);
  }
  return names;
}

// A previous lake: two tables with their data and markers, as a version
// without the lake marker wrote it.
void write_previous_lake(const TempDir& dir) {
  write_text(dir / "lake/songs/year=2018/part-00000.parquet", "old songs");
  write_text(dir / "lake/songs/_SUCCESS", "");
  write_text(dir / "lake/users/part-00000.parquet", "old users");
  write_text(dir / "lake/users/_SUCCESS", "");
}

// Delegates to the local disk (locks included), but fails replace_tree()
// into `fail_target`.
class FailingFileSystem final : public io::FileSystem {
 public:
  explicit FailingFileSystem(std::string fail_target) : fail_target_(std::move(fail_target)) {}
  std::vector<io::FileEntry> list(const std::string& root, const std::vector<std::string>& suffixes) override {
    return local_.list(root, suffixes);
  }
  io::Bytes read(const std::string& path) override { return local_.read(path); }
  std::unique_ptr<io::OutputStream> create(const std::string& path) override { return local_.create(path); }
  bool exists(const std::string& path) override { return local_.exists(path); }
  void remove_all(const std::string& path) override { local_.remove_all(path); }
  void replace_tree(const std::string& staged, const std::string& target) override {
    if (target == fail_target_) throw IoError("cannot swap into place " + target + ": injected");
    local_.replace_tree(staged, target);
  }
  bool replaces_atomically() const override { return true; }
  std::unique_ptr<io::FileLock> try_lock(const std::string& path, const std::string& holder) override {
    return local_.try_lock(path, holder);
  }

 private:
  io::LocalFileSystem local_;
  std::string fail_target_;
};

TEST(LakeTransaction, StagesUnderAHiddenFolderOfTheRoot) {
  TempDir dir;
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  EXPECT_EQ(transaction.root(), dir / "lake");
  std::string staged = transaction.staged_table_dir("songs");
  fs::path staging = fs::path(staged).parent_path();
  EXPECT_EQ(staging.parent_path().string(), dir / "lake");
  std::string name = staging.filename().string();
  std::string prefix = ".sparkify-staging-" + std::to_string(::getpid()) + "-";
  EXPECT_EQ(name.rfind(prefix, 0), 0u) << name;
  EXPECT_EQ(fs::path(staged).filename(), "songs");
  EXPECT_FALSE(fs::exists(dir / "lake/_sparkify_lake")) << "no marker before the first commit";
  transaction.commit({"songs"});
  EXPECT_TRUE(fs::exists(dir / "lake/_sparkify_lake")) << "the marker comes with the first commit";
}

TEST(LakeTransaction, CommitPutsTablesInPlaceWithSuccessMarkers) {
  TempDir dir;
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  write_text(transaction.staged_table_dir("songs") + "/year=2018/part-00000.parquet", "songs");
  write_text(transaction.staged_table_dir("time") + "/part-00000.parquet", "time");
  transaction.commit({"songs", "time"});
  EXPECT_EQ(tree(dir / "lake"), (std::map<std::string, std::string>{{"songs", "<dir>"},
                                                                    {"songs/_SUCCESS", ""},
                                                                    {"songs/year=2018", "<dir>"},
                                                                    {"songs/year=2018/part-00000.parquet", "songs"},
                                                                    {"time", "<dir>"},
                                                                    {"time/_SUCCESS", ""},
                                                                    {"time/part-00000.parquet", "time"}}));
}

TEST(LakeTransaction, CommitReplacesThePreviousTablesWhole) {
  TempDir dir;
  write_previous_lake(dir);
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  write_text(transaction.staged_table_dir("songs") + "/year=2019/part-00000.parquet", "new songs");
  transaction.commit({"songs"});
  auto after = tree(dir / "lake");
  EXPECT_EQ(after.count("songs/year=2018/part-00000.parquet"), 0u);
  EXPECT_EQ(after["songs/year=2019/part-00000.parquet"], "new songs");
  EXPECT_EQ(after.count("songs/_SUCCESS"), 1u);
  // Tables not in the commit are left alone.
  EXPECT_EQ(after["users/part-00000.parquet"], "old users");
  EXPECT_TRUE(staging_folders(dir / "lake").empty());
  EXPECT_FALSE(fs::exists(dir / "lake/_sparkify_commit"));
}

TEST(LakeTransaction, ATableWithNothingStagedBecomesEmptyWithItsMarker) {
  TempDir dir;
  write_previous_lake(dir);
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  transaction.commit({"users"});
  EXPECT_EQ(tree(dir / "lake/users"), (std::map<std::string, std::string>{{"_SUCCESS", ""}}));
}

TEST(LakeTransaction, AbortLeavesThePreviousLakeAsItWas) {
  TempDir dir;
  write_previous_lake(dir);
  auto before = tree(dir / "lake");
  io::LocalFileSystem local;
  {
    LakeTransaction transaction(local, dir / "lake");
    write_text(transaction.staged_table_dir("songs") + "/year=2019/part-00000.parquet", "new songs");
    ASSERT_EQ(staging_folders(dir / "lake").size(), 1u);
    transaction.abort();
    EXPECT_TRUE(staging_folders(dir / "lake").empty());
    transaction.abort();  // twice is harmless
  }
  EXPECT_EQ(tree(dir / "lake"), before);
}

TEST(LakeTransaction, AbortAfterTheIntentRemovesTheJournalToo) {
  TempDir dir;
  write_previous_lake(dir);
  auto before = tree(dir / "lake");
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  write_text(transaction.staged_table_dir("songs") + "/part-00000.parquet", "new songs");
  transaction.intend_commit({"songs"}, "load-1", "postgres@db:5432/dwh");
  EXPECT_TRUE(fs::exists(dir / "lake/_sparkify_commit"));
  transaction.abort();
  EXPECT_FALSE(fs::exists(dir / "lake/_sparkify_commit"));
  EXPECT_EQ(tree(dir / "lake"), before);
}

TEST(LakeTransaction, DestructionWithoutCommitAborts) {
  TempDir dir;
  write_previous_lake(dir);
  auto before = tree(dir / "lake");
  io::LocalFileSystem local;
  try {
    LakeTransaction transaction(local, dir / "lake");
    write_text(transaction.staged_table_dir("users") + "/part-00000.parquet", "new users");
    throw std::runtime_error("the run failed before commit");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(tree(dir / "lake"), before);
}

// A commit that stops between tables leaves each table whole, with its
// _SUCCESS, and the journal; the next open completes it.
TEST(LakeTransaction, ACommitStoppedBetweenTablesIsCompletedByTheNextOpen) {
  TempDir dir;
  write_previous_lake(dir);
  FailingFileSystem failing(dir / "lake/users");
  {
    LakeTransaction transaction(failing, dir / "lake");
    write_text(transaction.staged_table_dir("songs") + "/year=2019/part-00000.parquet", "new songs");
    write_text(transaction.staged_table_dir("users") + "/part-00000.parquet", "new users");
    EXPECT_THROW(transaction.commit({"songs", "users"}), IncompleteCommitError);
  }
  auto between = tree(dir / "lake");
  EXPECT_EQ(between["songs/year=2019/part-00000.parquet"], "new songs");
  EXPECT_EQ(between.count("songs/_SUCCESS"), 1u);
  EXPECT_EQ(between["users/part-00000.parquet"], "old users");
  EXPECT_EQ(between.count("users/_SUCCESS"), 1u);
  EXPECT_TRUE(fs::exists(dir / "lake/_sparkify_commit"));

  io::LocalFileSystem local;
  LakeTransaction next(local, dir / "lake");
  EXPECT_NE(next.recovery_note().find("completed"), std::string::npos) << next.recovery_note();
  auto after = tree(dir / "lake");
  EXPECT_EQ(after["songs/year=2019/part-00000.parquet"], "new songs");
  EXPECT_EQ(after["users/part-00000.parquet"], "new users");
  EXPECT_EQ(after.count("users/_SUCCESS"), 1u);
  EXPECT_FALSE(fs::exists(dir / "lake/_sparkify_commit"));
  EXPECT_TRUE(staging_folders(dir / "lake").empty());
}

// A journal whose load a warehouse decides is completed when the warehouse
// committed it, undone when not, and never guessed at without it.
TEST(LakeTransaction, AWarehouseDecidedJournalFollowsTheWarehouse) {
  for (bool committed : {true, false}) {
    TempDir dir;
    write_previous_lake(dir);
    io::LocalFileSystem local;
    {
      LakeTransaction transaction(local, dir / "lake");
      write_text(transaction.staged_table_dir("users") + "/part-00000.parquet", "new users");
      transaction.intend_commit({"users"}, "load-7", "etl@db:5432/dwh");
      transaction.leave_undecided();  // as a kill before the warehouse answered
    }
    EXPECT_THROW(LakeTransaction(local, dir / "lake"), UsageError) << "no warehouse to ask";
    EXPECT_EQ(read_text(dir / "lake/users/part-00000.parquet"), "old users");
    std::string asked;
    LakeTransaction next(local, dir / "lake", [&](const CommitJournal& journal) {
      asked = journal.decided_by + " " + journal.load_id;
      return committed;
    });
    EXPECT_EQ(asked, "etl@db:5432/dwh load-7");
    EXPECT_EQ(read_text(dir / "lake/users/part-00000.parquet"), committed ? "new users" : "old users");
    EXPECT_FALSE(fs::exists(dir / "lake/_sparkify_commit"));
    EXPECT_TRUE(staging_folders(dir / "lake").empty());
  }
}

TEST(LakeTransaction, ASecondCommitIsRefusedAndChangesNothing) {
  TempDir dir;
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  write_text(transaction.staged_table_dir("songs") + "/part-00000.parquet", "songs");
  transaction.commit({"songs"});
  EXPECT_THROW(transaction.commit({"songs"}), std::logic_error);
  EXPECT_EQ(read_text(dir / "lake/songs/part-00000.parquet"), "songs");
}

TEST(LakeTransaction, CommittedTablesSurviveTheDestructor) {
  TempDir dir;
  io::LocalFileSystem local;
  {
    LakeTransaction transaction(local, dir / "lake");
    write_text(transaction.staged_table_dir("songs") + "/part-00000.parquet", "songs");
    transaction.commit({"songs"});
    transaction.abort();
  }
  EXPECT_EQ(read_text(dir / "lake/songs/part-00000.parquet"), "songs");
}

TEST(LakeTransaction, RemovesStagingLeftByKilledRuns) {
  TempDir dir;
  write_previous_lake(dir);
  std::string left = dir / "lake/.sparkify-staging-123-77";
  std::string other_hidden = dir / "lake/.other";
  for (const auto& folder : {left, other_hidden}) {
    write_text(folder + "/songs/year=2018/part-00000.parquet", "leftover");
  }
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  // Under the lock no other run can be writing: staging not named by a
  // journal is leftovers. What is not ours is not touched.
  EXPECT_FALSE(fs::exists(left));
  EXPECT_TRUE(fs::exists(other_hidden));
  EXPECT_EQ(read_text(dir / "lake/songs/year=2018/part-00000.parquet"), "old songs");
  write_text(transaction.staged_table_dir("songs") + "/part-00000.parquet", "new songs");
  transaction.commit({"songs"});
  EXPECT_EQ(read_text(dir / "lake/songs/part-00000.parquet"), "new songs");
}

TEST(LakeTransaction, WorksWhenTheRootDoesNotExistYet) {
  TempDir dir;
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "new/lake");
  write_text(transaction.staged_table_dir("artists") + "/part-00000.parquet", "artists");
  transaction.commit({"artists"});
  EXPECT_EQ(read_text(dir / "new/lake/artists/part-00000.parquet"), "artists");
  EXPECT_TRUE(fs::exists(dir / "new/lake/artists/_SUCCESS"));
  EXPECT_TRUE(staging_folders(dir / "new/lake").empty());
}

// The tool deletes only what it wrote: a folder holding anything but a
// lake is refused before anything in it changes, even where its folders
// carry table names (inputs copied into it, say).
TEST(LakeTransaction, RefusesAFolderThatIsNotALake) {
  TempDir dir;
  write_text(dir / "d/songs/A/B/TRAAA.json", "{\"song_id\":\"S\"}");
  write_text(dir / "d/time/2018-11-01-events.json", "{\"ts\":1}");
  auto before = tree(dir / "d");
  io::LocalFileSystem local;
  try {
    LakeTransaction transaction(local, dir / "d");
    FAIL() << "a folder of input files was taken for a lake";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("is not a sparkify lake"), std::string::npos) << error.what();
  }
  EXPECT_EQ(tree(dir / "d"), before);
  EXPECT_FALSE(fs::exists(dir / "d/_sparkify_lake"));
  EXPECT_FALSE(fs::exists(dir / "d/_sparkify.lock"));
  // Unrelated files at the top, or a table folder without _SUCCESS, too.
  write_text(dir / "e/notes.txt", "mine");
  EXPECT_THROW(LakeTransaction(local, dir / "e"), UsageError);
  write_text(dir / "f/songs/part-00000.parquet", "no marker");
  EXPECT_THROW(LakeTransaction(local, dir / "f"), UsageError);
  EXPECT_THROW(LakeTransaction(local, ""), UsageError);
}

TEST(LakeTransaction, AdoptsALakeWrittenBeforeTheMarker) {
  TempDir dir;
  write_previous_lake(dir);
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  transaction.commit({"artists"});
  EXPECT_TRUE(fs::exists(dir / "lake/_sparkify_lake"));
  EXPECT_EQ(read_text(dir / "lake/users/part-00000.parquet"), "old users");
}

// One writer per lake, and the lock dies with its holder.
TEST(LakeTransaction, ASecondWriterIsRefusedAndAKilledOneBlocksNothing) {
  TempDir dir;
  io::LocalFileSystem local;
  {
    LakeTransaction first(local, dir / "lake");
    try {
      LakeTransaction second(local, dir / "lake");
      FAIL() << "two writers in one lake";
    } catch (const LockedError& error) {
      EXPECT_NE(std::string(error.what()).find("process " + std::to_string(::getpid())), std::string::npos)
          << error.what();
    }
  }
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  if (child == 0) {
    io::LocalFileSystem child_fs;
    LakeTransaction held(child_fs, dir / "lake");
    char byte = 1;
    (void)!::write(ready[1], &byte, 1);
    ::pause();
    ::_exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  EXPECT_THROW(LakeTransaction(local, dir / "lake"), LockedError);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  LakeTransaction after(local, dir / "lake");
  ::close(ready[0]);
  ::close(ready[1]);
}

}  // namespace
}  // namespace sparkify::lake
