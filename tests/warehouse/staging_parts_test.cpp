// Compacted staging's files: a few gzip parts of similar size, a multiple
// of the cluster's slices when there is enough data, and a manifest that
// lists exactly the parts holding rows.
#include "warehouse/staging_parts.h"

#include <gtest/gtest.h>

#include <string>

#include "io/gzip.h"
#include "io/local_file_system.h"
#include "test_support.h"

namespace sparkify::warehouse {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

TEST(StagingParts, PartsComeInMultiplesOfTheSlicesSizedAsAwsAdvises) {
  // A few small files: one part.
  EXPECT_EQ(staging_part_count(0, 4), 1u);
  EXPECT_EQ(staging_part_count(100 << 10, 4), 1u);
  // Too little for a megabyte per slice: parts of about a megabyte.
  EXPECT_EQ(staging_part_count(15 * kMiB, 4), 3u);
  // Enough: one part per slice, up to ~256 MB compressed each, then more rounds.
  EXPECT_EQ(staging_part_count(100 * kMiB, 4), 4u);
  EXPECT_EQ(staging_part_count(5 * 1024 * kMiB, 4), 4u);
  EXPECT_EQ(staging_part_count(6 * 1024 * kMiB, 4), 8u);
  EXPECT_EQ(staging_part_count(100 * kMiB, 0), 1u);
}

TEST(StagingParts, SpreadsLinesOverThePartsAndListsThemInTheManifest) {
  testing::TempDir dir;
  io::LocalFileSystem fs;
  StagingParts parts(fs, dir / "stage/staging_events", 3);
  std::string expected[3];
  for (int batch = 0; batch < 7; ++batch) {
    std::string lines = "{\"ts\":" + std::to_string(batch) + "}\n";
    parts.add(lines);
    expected[batch % 3] += lines;
  }
  std::string manifest = parts.finish();
  EXPECT_EQ(manifest, dir / "stage/staging_events.manifest");
  std::string listed = testing::read_text(manifest);
  for (int part = 0; part < 3; ++part) {
    std::string path = dir / ("stage/staging_events/part-0000" + std::to_string(part) + ".json.gz");
    EXPECT_NE(listed.find("\"url\": \"" + path + "\", \"mandatory\": true"), std::string::npos) << listed;
    io::Bytes compressed = fs.read(path);
    EXPECT_TRUE(io::is_gzip(compressed));
    EXPECT_EQ(std::string(io::gunzip(compressed, path).view()), expected[part]);
  }
}

TEST(StagingParts, PartsWithoutRowsAreLeftOutAndNoRowsMeansNoManifest) {
  testing::TempDir dir;
  io::LocalFileSystem fs;
  StagingParts one(fs, dir / "a", 4);
  one.add("{}\n");
  std::string listed = testing::read_text(one.finish());
  EXPECT_NE(listed.find("part-00000.json.gz"), std::string::npos);
  EXPECT_EQ(listed.find("part-00001.json.gz"), std::string::npos);

  StagingParts none(fs, dir / "b", 4);
  EXPECT_EQ(none.finish(), "");
  EXPECT_FALSE(fs.exists(dir / "b.manifest"));
}

}  // namespace
}  // namespace sparkify::warehouse
