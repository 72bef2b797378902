#include "pipeline/rejects_file.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>

#include "test_support.h"

namespace sparkify::pipeline {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string fffd(int count) {
  std::string out;
  for (int idx = 0; idx < count; ++idx) out += kFffd;
  return out;
}

TEST(JsonQuote, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_quote("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
}

TEST(JsonQuote, KeepsWellFormedUtf8) {
  EXPECT_EQ(json_quote("Zürich € 東京 😀 \xF4\x8F\xBF\xBF"), "\"Zürich € 東京 😀 \xF4\x8F\xBF\xBF\"");
}

struct IllFormed {
  const char* name;
  std::string text;
  std::string expected;  // between the quotes
};

class JsonQuoteIllFormed : public ::testing::TestWithParam<IllFormed> {};

TEST_P(JsonQuoteIllFormed, ReplacesEachMaximalSubpartWithOneReplacementCharacter) {
  EXPECT_EQ(json_quote(GetParam().text), "\"" + GetParam().expected + "\"");
}

INSTANTIATE_TEST_SUITE_P(Cases, JsonQuoteIllFormed,
                         ::testing::Values(IllFormed{"TruncatedTwoByte", "a\xC3", "a" + fffd(1)},
                                           IllFormed{"TruncatedThreeByteBeforeAscii", "a\xE2\x82z",
                                                     "a" + fffd(1) + "z"},
                                           IllFormed{"TruncatedFourByteAtTheEnd", "\xF0\x9F\x8E", fffd(1)},
                                           IllFormed{"TruncatedThenWellFormed", "\xE2\x82\xC3\xA9", fffd(1) + "é"},
                                           IllFormed{"LoneContinuationByte", "a\x80z", "a" + fffd(1) + "z"},
                                           IllFormed{"ContinuationBytesInARow", "\x80\xBF\x80", fffd(3)},
                                           IllFormed{"OverlongTwoByteSlash", "\xC0\xAF", fffd(2)},
                                           IllFormed{"OverlongTwoByteNul", "\xC1\x80", fffd(2)},
                                           IllFormed{"OverlongThreeByte", "\xE0\x80\xAF", fffd(3)},
                                           IllFormed{"OverlongFourByte", "\xF0\x80\x80\xAF", fffd(4)},
                                           IllFormed{"HighSurrogate", "\xED\xA0\x80", fffd(3)},
                                           IllFormed{"LowSurrogate", "\xED\xBF\xBF", fffd(3)},
                                           IllFormed{"SurrogatePairAsCesu8", "\xED\xA0\xBD\xED\xB8\x80", fffd(6)},
                                           IllFormed{"AboveU10FFFF", "\xF4\x90\x80\x80", fffd(4)},
                                           IllFormed{"F5AndAbove", "\xF5\xFE\xFF", fffd(3)}),
                         [](const ::testing::TestParamInfo<IllFormed>& info) { return std::string(info.param.name); });

TEST(RejectsFile, EveryLineIsValidJsonWhateverTheRecordHolds) {
  testing::TempDir dir;
  model::Rejects rejects;
  const char* texts[] = {"{\"artist\":\"\xFF\xFE\"}", "{\"song\":\"\xE2\x82", "\xC0\xAF\xED\xA0\x80\x80",
                         "{\"ts\":1}\n\"\\"};
  uint64_t line = 0;
  for (const char* text : texts) {
    rejects.push_back({"log_data/\xE9.json", ++line, "field\xC3", "reason \xF0\x9F", text});
  }
  write_rejects_file(rejects, dir / "rejects.ndjson");
  std::istringstream lines(testing::read_text(dir / "rejects.ndjson"));
  simdjson::dom::parser parser;
  std::string text;
  size_t count = 0;
  while (std::getline(lines, text)) {
    ++count;
    simdjson::dom::element element;
    ASSERT_EQ(parser.parse(text).get(element), simdjson::SUCCESS) << text;
    std::string_view source;
    ASSERT_EQ(element["source"].get(source), simdjson::SUCCESS);
    EXPECT_EQ(source, "log_data/" + kFffd + ".json");
    uint64_t line_number = 0;
    ASSERT_EQ(element["line"].get(line_number), simdjson::SUCCESS);
    EXPECT_EQ(line_number, count);
  }
  EXPECT_EQ(count, 4u);
}

}  // namespace
}  // namespace sparkify::pipeline
