#include "report/categories.h"

#include <fmt/format.h>

#include <cassert>

namespace sparkify::report {
namespace {

// The rules' own text goes into SQL literals and LIKE patterns unquoted:
// it is the tool's, never input, and holds none of these.
[[maybe_unused]] bool plain(std::string_view text) { return text.find_first_of("'%_\\") == std::string_view::npos; }

}  // namespace

std::string bucket_case_sql(std::string_view column, const std::vector<Bucket>& buckets) {
  assert(!buckets.empty());
  std::string sql = "CASE";
  for (size_t bucket_idx = 0; bucket_idx + 1 < buckets.size(); ++bucket_idx) {
    assert(plain(buckets[bucket_idx].label));
    sql += fmt::format(" WHEN {} < {} THEN '{}'", column, buckets[bucket_idx].below, buckets[bucket_idx].label);
  }
  assert(plain(buckets.back().label));
  sql += fmt::format(" ELSE '{}' END", buckets.back().label);
  return sql;
}

std::string_view bucket_of(int64_t value, int64_t per_unit, const std::vector<Bucket>& buckets) {
  for (size_t bucket_idx = 0; bucket_idx + 1 < buckets.size(); ++bucket_idx) {
    if (value < buckets[bucket_idx].below * per_unit) return buckets[bucket_idx].label;
  }
  return buckets.back().label;
}

std::string text_case_sql(std::string_view column, const std::vector<TextRule>& rules, std::string_view otherwise) {
  std::string sql = "CASE";
  for (const auto& rule : rules) {
    assert(plain(rule.label) && !rule.fragments.empty());
    sql += " WHEN ";
    for (size_t fragment_idx = 0; fragment_idx < rule.fragments.size(); ++fragment_idx) {
      assert(plain(rule.fragments[fragment_idx]));
      sql += fmt::format("{}{} LIKE '%{}%'", fragment_idx ? " OR " : "", column, rule.fragments[fragment_idx]);
    }
    sql += fmt::format(" THEN '{}'", rule.label);
  }
  assert(plain(otherwise));
  sql += fmt::format(" ELSE '{}' END", otherwise);
  return sql;
}

std::string_view text_category_of(std::string_view value, const std::vector<TextRule>& rules,
                                  std::string_view otherwise) {
  for (const auto& rule : rules) {
    for (std::string_view fragment : rule.fragments) {
      if (value.find(fragment) != std::string_view::npos) return rule.label;
    }
  }
  return otherwise;
}

const std::vector<Bucket>& session_count_buckets() {
  static const std::vector<Bucket> buckets = {{2, "1"},      {3, "2"},      {6, "3-5"}, {11, "6-10"},
                                              {21, "11-20"}, {51, "21-50"}, {0, "51+"}};
  return buckets;
}

const std::vector<Bucket>& session_length_buckets() {
  static const std::vector<Bucket> buckets = {{60, "under 1 min"}, {600, "1-10 min"}, {1800, "10-30 min"},
                                              {3600, "30-60 min"}, {7200, "1-2 h"},   {14400, "2-4 h"},
                                              {0, "4 h or more"}};
  return buckets;
}

// Order matters: Edge and Opera name Chrome too, Chrome names Safari, and
// an iPhone's agent says "like Mac OS X", Android's "Linux".
const std::vector<TextRule>& browser_rules() {
  static const std::vector<TextRule> rules = {
      {"Edge", {"Edge/", "Edg/"}},
      {"Opera", {"OPR/", "Opera"}},
      {"Chrome", {"Chrome/", "CriOS/"}},
      {"Firefox", {"Firefox/", "FxiOS/"}},
      {"Internet Explorer", {"MSIE ", "Trident/"}},
      {"Safari", {"Safari/"}},
  };
  return rules;
}

const std::vector<TextRule>& os_rules() {
  static const std::vector<TextRule> rules = {
      {"iOS", {"iPhone", "iPad", "iPod"}},  {"Android", {"Android"}},    {"Windows", {"Windows"}},
      {"macOS", {"Macintosh", "Mac OS X"}}, {"Linux", {"Linux", "X11"}},
  };
  return rules;
}

}  // namespace sparkify::report
