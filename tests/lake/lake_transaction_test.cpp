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

// Every file and folder under `root`: a file's content, "<dir>" for a folder.
std::map<std::string, std::string> tree(const std::string& root) {
  std::map<std::string, std::string> entries;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string name = fs::relative(entry.path(), root).string();
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

// The id of a process that has exited and been reaped.
pid_t dead_pid() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

// A previous lake: two tables with their data and markers.
void write_previous_lake(const TempDir& dir) {
  write_text(dir / "lake/songs/year=2018/part-00000.parquet", "old songs");
  write_text(dir / "lake/songs/_SUCCESS", "");
  write_text(dir / "lake/users/part-00000.parquet", "old users");
  write_text(dir / "lake/users/_SUCCESS", "");
}

// Delegates to the local disk, but fails replace_tree() into `fail_target`.
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
  // Two transactions never share a staging folder.
  LakeTransaction other(local, dir / "lake");
  EXPECT_NE(other.staged_table_dir("songs"), staged);
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
  write_text(dir / "lake/notes.txt", "not a table");
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  write_text(transaction.staged_table_dir("songs") + "/year=2019/part-00000.parquet", "new songs");
  transaction.commit({"songs"});
  auto after = tree(dir / "lake");
  EXPECT_EQ(after.count("songs/year=2018/part-00000.parquet"), 0u);
  EXPECT_EQ(after["songs/year=2019/part-00000.parquet"], "new songs");
  EXPECT_EQ(after.count("songs/_SUCCESS"), 1u);
  // Tables not in the commit, and other files, are left alone.
  EXPECT_EQ(after["users/part-00000.parquet"], "old users");
  EXPECT_EQ(after["notes.txt"], "not a table");
  EXPECT_TRUE(staging_folders(dir / "lake").empty());
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

TEST(LakeTransaction, AFailedSwapLeavesThatTableAsItWasAndRemovesStaging) {
  TempDir dir;
  write_previous_lake(dir);
  auto before = tree(dir / "lake");
  FailingFileSystem failing(dir / "lake/songs");
  {
    LakeTransaction transaction(failing, dir / "lake");
    write_text(transaction.staged_table_dir("songs") + "/year=2019/part-00000.parquet", "new songs");
    EXPECT_THROW(transaction.commit({"songs"}), IoError);
  }
  EXPECT_EQ(tree(dir / "lake"), before);
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

TEST(LakeTransaction, RemovesStagingLeftByADeadProcessOnly) {
  TempDir dir;
  write_previous_lake(dir);
  std::string dead = dir / ("lake/.sparkify-staging-" + std::to_string(dead_pid()) + "-77");
  std::string alive = dir / ("lake/.sparkify-staging-" + std::to_string(::getppid()) + "-78");
  std::string not_a_pid = dir / "lake/.sparkify-staging-abc-79";
  std::string other_hidden = dir / "lake/.other";
  for (const auto& folder : {dead, alive, not_a_pid, other_hidden}) {
    write_text(folder + "/songs/year=2018/part-00000.parquet", "leftover");
  }
  io::LocalFileSystem local;
  LakeTransaction transaction(local, dir / "lake");
  EXPECT_FALSE(fs::exists(dead));
  // A live process may still be writing; what is not ours is not touched.
  EXPECT_TRUE(fs::exists(alive));
  EXPECT_TRUE(fs::exists(not_a_pid));
  EXPECT_TRUE(fs::exists(other_hidden));
  EXPECT_EQ(read_text(dir / "lake/songs/year=2018/part-00000.parquet"), "old songs");
  // And the run goes on as usual.
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

}  // namespace
}  // namespace sparkify::lake
