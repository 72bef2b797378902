#include "lake/hive_path.h"

#include <gtest/gtest.h>

namespace sparkify::lake {
namespace {

TEST(HivePath, PlainValuesStayAsTheyAre) {
  EXPECT_EQ(escape_partition_value("2018"), "2018");
  EXPECT_EQ(escape_partition_value("ARD7TVE1187B99BFB1"), "ARD7TVE1187B99BFB1");
  EXPECT_EQ(escape_partition_value("a-b_c.d,e;f+g(h)i!j~k@l$m&n"), "a-b_c.d,e;f+g(h)i!j~k@l$m&n");
  EXPECT_EQ(escape_partition_value(""), "");
}

TEST(HivePath, EscapesHivesCharactersAndTheSpace) {
  EXPECT_EQ(escape_partition_value("a/b"), "a%2Fb");
  EXPECT_EQ(escape_partition_value("k=v"), "k%3Dv");
  EXPECT_EQ(escape_partition_value("100%"), "100%25");
  EXPECT_EQ(escape_partition_value("New York"), "New%20York");
  EXPECT_EQ(escape_partition_value("12:30"), "12%3A30");
  EXPECT_EQ(escape_partition_value("#1"), "%231");
  EXPECT_EQ(escape_partition_value("\"'*?\\{[]^"), "%22%27%2A%3F%5C%7B%5B%5D%5E");
  // Hive leaves the closing brace alone.
  EXPECT_EQ(escape_partition_value("}"), "}");
}

TEST(HivePath, EscapesControlCharactersAndDelete) {
  EXPECT_EQ(escape_partition_value("a\tb\nc\rd"), "a%09b%0Ac%0Dd");
  EXPECT_EQ(escape_partition_value(std::string_view("\0\x01\x1f\x7f", 4)), "%00%01%1F%7F");
}

TEST(HivePath, NonAsciiTextStaysUtf8) {
  EXPECT_EQ(escape_partition_value("Zürich"), "Zürich");
  EXPECT_EQ(escape_partition_value("東京"), "東京");
  EXPECT_EQ(escape_partition_value("São Paulo"), "São%20Paulo");
}

TEST(HivePath, UnescapeDecodesEitherCaseAndLeavesTheRest) {
  EXPECT_EQ(unescape_partition_value("a%2Fb"), "a/b");
  EXPECT_EQ(unescape_partition_value("a%2fb"), "a/b");
  EXPECT_EQ(unescape_partition_value("%00"), std::string("\0", 1));
  EXPECT_EQ(unescape_partition_value("%C3%BC"), "ü");
  EXPECT_EQ(unescape_partition_value("Zürich"), "Zürich");
  // A % without two hex digits after it is kept as it is.
  EXPECT_EQ(unescape_partition_value("100%"), "100%");
  EXPECT_EQ(unescape_partition_value("%2"), "%2");
  EXPECT_EQ(unescape_partition_value("%zz%4"), "%zz%4");
  EXPECT_EQ(unescape_partition_value("%%41"), "%A");
  EXPECT_EQ(unescape_partition_value(""), "");
}

TEST(HivePath, EscapeThenUnescapeGivesTheValueBack) {
  std::vector<std::string> values = {"a/b=c%d e", "Zürich", "東京",  "12:30#x", "100%25", "%2F",
                                     "..",        ".",      "-",     "\t\n",    "}{",     "C:\\dir\\file",
                                     "'quoted'",  "?*",     "[1]^2", " lead",   "trail "};
  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) every_byte += static_cast<char>(byte);
  values.push_back(every_byte);
  for (const auto& value : values) {
    std::string escaped = escape_partition_value(value);
    EXPECT_EQ(unescape_partition_value(escaped), value) << escaped;
    EXPECT_EQ(escaped.find('/'), std::string::npos) << escaped;
    EXPECT_EQ(escaped.find('='), std::string::npos) << escaped;
  }
}

TEST(HivePath, PartitionPathJoinsNameEqualsValue) {
  EXPECT_EQ(partition_path({{"year", "2018"}, {"month", "11"}}), "year=2018/month=11");
  EXPECT_EQ(partition_path({{"artist_id", "AR/1=2"}}), "artist_id=AR%2F1%3D2");
  EXPECT_EQ(partition_path({}), "");
  // No zero padding: the value is used as given.
  EXPECT_EQ(partition_path({{"month", "1"}}), "month=1");
}

TEST(HivePath, NullAndEmptyValuesAreTheDefaultPartition) {
  EXPECT_EQ(partition_path({{"year", std::nullopt}, {"month", "11"}}), "year=__HIVE_DEFAULT_PARTITION__/month=11");
  EXPECT_EQ(partition_path({{"city", ""}}), "city=__HIVE_DEFAULT_PARTITION__");
  EXPECT_EQ(kHiveDefaultPartition, "__HIVE_DEFAULT_PARTITION__");
}

}  // namespace
}  // namespace sparkify::lake
