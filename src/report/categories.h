// Rules that put a value in a named category, each written once and used
// twice: as a SQL CASE expression in a chart's query, and in C++ over rows
// in memory, so that both give the same category for the same value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sparkify::report {

// A range of a histogram: the values below `below` (and not in an earlier
// bucket). The last bucket of a list takes everything above it: its
// `below` is not used.
struct Bucket {
  int64_t below = 0;
  std::string_view label;
};

// "CASE WHEN column < b1 THEN 'label1' … ELSE 'last' END". Requires a
// non-empty list of increasing bounds whose labels need no quoting.
std::string bucket_case_sql(std::string_view column, const std::vector<Bucket>& buckets);

// The label of the bucket that holds value / per_unit (`value` counted in
// 1/per_unit of the buckets' unit: milliseconds for buckets of seconds
// give per_unit 1000), compared exactly, as SQL compares the quotient.
std::string_view bucket_of(int64_t value, int64_t per_unit, const std::vector<Bucket>& buckets);

// A category of text: the values that contain any of `fragments`
// (case-sensitive, as SQL's LIKE), unless an earlier rule took them.
struct TextRule {
  std::string_view label;
  std::vector<std::string_view> fragments;
};

// "CASE WHEN column LIKE '%f1%' OR … THEN 'label1' … ELSE 'otherwise' END".
// Requires fragments and labels free of LIKE's wildcards and quotes.
std::string text_case_sql(std::string_view column, const std::vector<TextRule>& rules, std::string_view otherwise);

// The label of the first rule that `value` matches, else `otherwise`.
std::string_view text_category_of(std::string_view value, const std::vector<TextRule>& rules,
                                  std::string_view otherwise);

// Sessions per user: 1, 2, 3-5, 6-10, 11-20, 21-50, 51+.
const std::vector<Bucket>& session_count_buckets();
// A session's length in seconds, from its first play to its last.
const std::vector<Bucket>& session_length_buckets();
// The browser and the operating system a user agent names.
const std::vector<TextRule>& browser_rules();
const std::vector<TextRule>& os_rules();
inline constexpr std::string_view kOtherCategory = "other";

}  // namespace sparkify::report
