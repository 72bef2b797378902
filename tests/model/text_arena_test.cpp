#include "model/text_arena.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sparkify::model {
namespace {

TEST(TextArenaTest, CopiesStayValidAndIntactAsTheArenaGrows) {
  TextArena arena;
  std::vector<std::string> texts;
  std::vector<std::string_view> copies;
  // Enough short texts to fill many blocks, and some longer than a block's
  // quarter between them.
  for (int idx = 0; idx < 50000; ++idx) {
    texts.push_back(idx % 1000 == 0 ? std::string(20000 + idx % 7, static_cast<char>('a' + idx % 26))
                                    : "title " + std::to_string(idx));
    copies.push_back(arena.copy(texts.back()));
  }
  for (size_t idx = 0; idx < texts.size(); ++idx) {
    EXPECT_EQ(copies[idx], texts[idx]);
    EXPECT_NE(copies[idx].data(), texts[idx].data());
  }
}

TEST(TextArenaTest, AnEmptyTextIsAnEmptyView) {
  TextArena arena;
  EXPECT_TRUE(arena.copy("").empty());
  EXPECT_EQ(arena.copy("x"), "x");
}

}  // namespace
}  // namespace sparkify::model
