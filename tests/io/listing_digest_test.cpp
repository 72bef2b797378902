#include "io/listing_digest.h"

#include <gtest/gtest.h>

#include <vector>

namespace sparkify::io {
namespace {

std::vector<FileEntry> listing() {
  return {{"song_data/A/A/A/TRAAA.json", 240, "1541030400000000000"},
          {"song_data/A/A/B/TRAAB.json", 251, "1541030400000000001"}};
}

// Equal listings give one digest; a change in any file's path, size or
// version, or a file more or less, gives another.
TEST(ListingDigest, ChangesWithAnyFile) {
  std::string digest = listing_digest(listing());
  EXPECT_EQ(digest.size(), 32u);
  EXPECT_EQ(listing_digest(listing()), digest);
  for (int change = 0; change < 5; ++change) {
    auto files = listing();
    if (change == 0) files[1].path += "x";
    if (change == 1) files[1].size += 1;
    if (change == 2) files[0].version = "1541030400000000002";
    if (change == 3) files.pop_back();
    if (change == 4) files.push_back({"song_data/A/A/C/TRAAC.json", 1, ""});
    EXPECT_NE(listing_digest(files), digest) << change;
  }
  // A path's end moved into the size is another listing, too.
  EXPECT_NE(listing_digest(std::vector<FileEntry>{{"a1", 2, ""}}),
            listing_digest(std::vector<FileEntry>{{"a", 12, ""}}));
  EXPECT_EQ(listing_digest({}).size(), 32u);
}

}  // namespace
}  // namespace sparkify::io
