// The lake reader and DuckDB read the same rows from a lake of generated
// data written by the sparkify binary (songs in thousands of partition
// folders, plays over many months).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "io/local_file_system.h"
#include "lake/lake_reader.h"
#include "support/duckdb_reader.h"
#include "support/star_compare.h"
#include "test_support.h"

namespace sparkify::lake {
namespace {

using testing::TempDir;

std::string sparkify_binary() { return std::string(SPARKIFY_BINARY_DIR) + "/src/cli/sparkify"; }

TEST(LakeReaderAndDuckDb, ReadTheSameRowsFromALakeOfGeneratedData) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir work;
  std::string data = work / "data";
  std::string lake = work / "lake";
  ASSERT_EQ(std::system((sparkify_binary() + " generate --songs 3000 --events 30000 --seed 17 --out " + data +
                         " >/dev/null")
                            .c_str()),
            0);
  ASSERT_EQ(std::system((sparkify_binary() + " etl --song-data " + data + "/song_data --log-data " + data +
                         "/log_data --lake " + lake + " --rejects " + (work / "rejects.ndjson") + " >/dev/null 2>&1")
                            .c_str()),
            0);
  io::LocalFileSystem local;
  auto started = std::chrono::steady_clock::now();
  model::StarSchema ours = read_star(local, lake);
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "lake::read_star: " << ours.songplays.size() << " songplays, " << ours.songs.size() << " songs in "
            << took << " s\n";
  EXPECT_GT(ours.songplays.size(), 1000u);
  EXPECT_GT(ours.songs.size(), 1000u);
  EXPECT_EQ(testing::first_difference(testing::read_star_from_lake(lake), ours), "");
}

}  // namespace
}  // namespace sparkify::lake
