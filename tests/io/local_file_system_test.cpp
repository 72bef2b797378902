#include "io/local_file_system.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "model/error.h"
#include "test_support.h"

namespace sparkify::io {
namespace {

using sparkify::testing::read_text;
using sparkify::testing::TempDir;
using sparkify::testing::write_text;

// Each listing test on one thread and on several: the folders are shared
// out among the threads, and the result and its failures are the same.
class LocalFileSystemListing : public ::testing::TestWithParam<size_t> {};

TEST_P(LocalFileSystemListing, ListsRecursivelyInPathOrderWithSuffixes) {
  TempDir dir;
  write_text(dir / "b/2.json", "{}");
  write_text(dir / "a/c/1.json.gz", "x");
  write_text(dir / "a/0.json", "{}");
  write_text(dir / "a/notes.txt", "no");
  write_text(dir / "a/.hidden.json", "no");
  LocalFileSystem fs(GetParam());
  auto files = fs.list(dir.str(), {".json", ".json.gz"});
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].path, dir / "a/0.json");
  EXPECT_EQ(files[1].path, dir / "a/c/1.json.gz");
  EXPECT_EQ(files[2].path, dir / "b/2.json");
  EXPECT_EQ(files[0].size, 2u);
}

// An unreadable sub-folder once ended the listing early, as if complete.
// Root reads every folder, so the listing runs in a child that drops to
// the nobody user first.
TEST_P(LocalFileSystemListing, AnUnreadableSubFolderFailsTheListingNamingIt) {
  TempDir dir;
  for (const char* name : {"a/1.json", "b/2.json", "c/3.json"}) write_text(dir / name, "{}");
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
  std::filesystem::permissions(dir / "c", std::filesystem::perms::none);
  pid_t child = ::fork();
  if (child == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    try {
      LocalFileSystem fs(GetParam());
      fs.list(dir.str(), {".json"});
      ::_exit(1);  // listed as if complete
    } catch (const IoError& error) {
      ::_exit(std::string(error.what()).find(dir / "c") != std::string::npos ? 0 : 2);
    }
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  std::filesystem::permissions(dir / "c", std::filesystem::perms::owner_all);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the listing succeeded; 2: the error did not name the folder";
}

TEST_P(LocalFileSystemListing, ASymbolicLinkLoopFailsTheListingNamingIt) {
  TempDir dir;
  write_text(dir / "a/1.json", "{}");
  std::filesystem::create_directory_symlink(dir / "a", dir / "a/again");
  LocalFileSystem fs(GetParam());
  try {
    fs.list(dir.str(), {".json"});
    FAIL() << "a loop was listed";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find(dir / "a/again"), std::string::npos) << error.what();
  }
}

// Many folders of many files, as song_data is: every file once, in path
// order, however many threads share the folders.
TEST_P(LocalFileSystemListing, AWideTreeListsEveryFileOnceInPathOrder) {
  TempDir dir;
  std::vector<std::string> expected;
  for (char a : std::string("ABC")) {
    for (char b : std::string("ABCD")) {
      for (int file = 0; file < 5; ++file) {
        std::string name = std::string(1, a) + "/" + b + "/TR" + std::to_string(file) + ".json";
        write_text(dir / name, "{}");
        expected.push_back(dir / name);
      }
    }
  }
  std::sort(expected.begin(), expected.end());
  LocalFileSystem fs(GetParam());
  auto files = fs.list(dir.str(), {".json"});
  std::vector<std::string> listed;
  for (const auto& file : files) listed.push_back(file.path);
  EXPECT_EQ(listed, expected);
}

INSTANTIATE_TEST_SUITE_P(Threads, LocalFileSystemListing, ::testing::Values(size_t{1}, size_t{4}),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return "On" + std::to_string(info.param) + "Threads";
                         });

TEST(LocalFileSystem, MissingRootNamesIt) {
  LocalFileSystem fs;
  try {
    fs.list("/no/such/folder", {".json"});
    FAIL();
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find("/no/such/folder"), std::string::npos);
  }
}

TEST(LocalFileSystem, ReadGivesPaddedBytes) {
  TempDir dir;
  write_text(dir / "f", "hello");
  LocalFileSystem fs;
  Bytes bytes = fs.read(dir / "f");
  EXPECT_EQ(bytes.view(), "hello");
  EXPECT_EQ(bytes.data()[5], '\0');
}

TEST(LocalFileSystem, StreamsEveryFileOnceInThePiecesAsked) {
  TempDir dir;
  std::vector<FileEntry> files;
  for (int file_idx = 0; file_idx < 12; ++file_idx) {
    std::string path = dir / ("e" + std::to_string(file_idx) + ".json");
    write_text(path, std::string(1000 + file_idx, static_cast<char>('a' + file_idx)));
    files.push_back({path, 0});
  }
  LocalFileSystem fs;
  std::mutex mutex;
  std::vector<std::string> seen(files.size());
  fs.stream_many(files, 3, [&](size_t index, InputStream& stream) {
    std::string text;
    char piece[100];
    while (size_t got = stream.read(piece, sizeof piece)) {
      EXPECT_LE(got, sizeof piece);
      text.append(piece, got);
    }
    std::lock_guard lock(mutex);
    seen[index] = text;
  });
  for (size_t index = 0; index < files.size(); ++index) EXPECT_EQ(seen[index], read_text(files[index].path));
}

TEST(LocalFileSystem, AStreamThatCannotOpenNamesTheFileAndStopsTheRest) {
  TempDir dir;
  write_text(dir / "a.json", "{}");
  std::vector<FileEntry> files{{dir / "a.json", 2}, {dir / "gone.json", 2}};
  LocalFileSystem fs;
  try {
    fs.stream_many(files, 1, [](size_t, InputStream&) {});
    FAIL() << "a missing file streamed";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find(dir / "gone.json"), std::string::npos) << error.what();
  }
}

TEST(LocalFileSystem, OutputAppearsOnlyOnClose) {
  TempDir dir;
  LocalFileSystem fs;
  auto out = fs.create(dir / "x/y.bin");
  out->write("abc");
  EXPECT_FALSE(fs.exists(dir / "x/y.bin"));
  out->close();
  EXPECT_EQ(read_text(dir / "x/y.bin"), "abc");
  auto aborted = fs.create(dir / "x/z.bin");
  aborted->write("abc");
  aborted->abort();
  EXPECT_FALSE(fs.exists(dir / "x/z.bin"));
  EXPECT_EQ(fs.list(dir / "x", {}).size(), 1u);
}

TEST(LocalFileSystem, UnpublishedOutputIsWrittenInPlaceAndAbortRemovesIt) {
  TempDir dir;
  LocalFileSystem fs;
  auto out = fs.create_unpublished(dir / "a/b/c.bin");
  std::string big(600 << 10, 'x');  // larger than the stream's buffer
  out->write("head");
  out->write(big);
  out->write("tail");
  EXPECT_TRUE(fs.exists(dir / "a/b/c.bin"));
  out->close();
  EXPECT_EQ(out->bytes_written(), big.size() + 8);
  EXPECT_EQ(read_text(dir / "a/b/c.bin"), "head" + big + "tail");
  auto aborted = fs.create_unpublished(dir / "a/b/d.bin");
  aborted->write("abc");
  aborted->abort();
  EXPECT_FALSE(fs.exists(dir / "a/b/d.bin"));
}

TEST(LocalFileSystem, ReplaceTreeSwapsWholeTrees) {
  TempDir dir;
  write_text(dir / "table/old.parquet", "old");
  write_text(dir / "staged/new.parquet", "new");
  LocalFileSystem fs;
  fs.replace_tree(dir / "staged", dir / "table");
  EXPECT_FALSE(fs.exists(dir / "staged"));
  EXPECT_FALSE(fs.exists(dir / "table/old.parquet"));
  EXPECT_EQ(read_text(dir / "table/new.parquet"), "new");
  write_text(dir / "fresh/a", "a");
  fs.replace_tree(dir / "fresh", dir / "absent/t");
  EXPECT_EQ(read_text(dir / "absent/t/a"), "a");
}

// The version is the modification time in std::filesystem's clock, as the
// ledgers of earlier loads hold it.
TEST(LocalFileSystem, ListGivesSizeAndModificationTime) {
  TempDir dir;
  write_text(dir / "a/b/c.json", "{}\n");
  LocalFileSystem fs;
  auto files = fs.list(dir.str() + "/", {".json"});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, dir / "a/b/c.json");
  EXPECT_EQ(files[0].size, 3u);
  EXPECT_EQ(files[0].version,
            std::to_string(std::filesystem::last_write_time(dir / "a/b/c.json").time_since_epoch().count()));
  EXPECT_EQ(fs.list(dir / "a/b/c.json", {})[0].version, files[0].version);
}

TEST(LocalFileSystem, CopyFileLinksWithoutCopyingBytes) {
  TempDir dir;
  write_text(dir / "table/year=2018/part-00000.parquet", "plays");
  LocalFileSystem fs;
  fs.copy_file(dir / "table/year=2018/part-00000.parquet", dir / "staged/year=2018/part-00000.parquet");
  EXPECT_EQ(read_text(dir / "staged/year=2018/part-00000.parquet"), "plays");
  EXPECT_EQ(std::filesystem::hard_link_count(dir / "table/year=2018/part-00000.parquet"), 2u);
  EXPECT_THROW(fs.copy_file(dir / "table/none.parquet", dir / "staged/none.parquet"), IoError);
}

TEST(LocalFileSystem, ReadManyVisitsEveryFileOnce) {
  TempDir dir;
  for (int file_idx = 0; file_idx < 50; ++file_idx) {
    write_text(dir / ("f" + std::to_string(file_idx)), std::to_string(file_idx));
  }
  LocalFileSystem fs;
  auto files = fs.list(dir.str(), {});
  std::vector<int> seen(files.size(), 0);
  fs.read_many(files, 4, [&](size_t index, Bytes) { seen[index]++; });
  for (int count : seen) EXPECT_EQ(count, 1);
}

}  // namespace
}  // namespace sparkify::io
