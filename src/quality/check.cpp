#include "quality/check.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

#include "model/catalog.h"
#include "model/json_text.h"

namespace sparkify::quality {

std::string key_column_of(const std::string& table) {
  if (table == "songplays") return "songplay_id";
  if (table == "users") return "user_id";
  if (table == "songs") return "song_id";
  if (table == "artists") return "artist_id";
  if (table == "time") return "start_time";
  throw std::logic_error("no key known for table " + table);
}

CheckResult result_of(const Check& check, int64_t examined, int64_t second, std::vector<std::string> sample) {
  CheckResult result;
  result.name = check.name;
  result.examined = examined;
  result.sample = std::move(sample);
  switch (check.kind) {
    case CheckKind::kMatchRate:
      result.note = examined == 0 ? "no plays"
                                  : fmt::format("{} of {} plays matched a song, {:.1f}%", second, examined,
                                                100.0 * static_cast<double>(second) / static_cast<double>(examined));
      return result;
    case CheckKind::kPlaysWithinEvents:
      // `second` is plays minus NextSong events: more plays than events
      // means rows were duplicated.
      result.failures = std::max<int64_t>(0, second);
      result.note = fmt::format("{} plays, {} NextSong events with a user", examined, examined - second);
      break;
    case CheckKind::kMinRows:
      result.failures = second;
      if (second > 0) result.note = fmt::format("fewer than {} rows", check.min_rows);
      break;
    default:
      result.failures = second;
  }
  result.passed = result.failures == 0;
  return result;
}

CheckResult result_of_sql(const Check& check, const std::optional<std::string>& value) {
  CheckResult result;
  result.name = check.name;
  result.examined = 1;
  std::string got = value.value_or("NULL");
  bool equal = got == check.expected;
  if (!equal && value) {
    // 0 and 0.0, 42 and 42.00: the same number.
    char* got_end = nullptr;
    char* expected_end = nullptr;
    double got_number = std::strtod(got.c_str(), &got_end);
    double expected_number = std::strtod(check.expected.c_str(), &expected_end);
    equal = !got.empty() && !check.expected.empty() && *got_end == '\0' && *expected_end == '\0' &&
            got_number == expected_number;
  }
  result.failures = equal ? 0 : 1;
  result.passed = equal;
  result.note = equal ? "got " + got : "got " + got + ", expected " + check.expected;
  return result;
}

namespace {

Check make_check(std::string name, CheckKind kind, std::string table, std::string column = {},
                 std::string parent_table = {}, std::string parent_column = {}) {
  Check check;
  check.name = std::move(name);
  check.kind = kind;
  check.table = std::move(table);
  check.column = std::move(column);
  check.parent_table = std::move(parent_table);
  check.parent_column = std::move(parent_column);
  return check;
}

}  // namespace

std::vector<Check> contract_checks() {
  std::vector<Check> checks;
  for (const auto& table : model::star_table_names()) {
    checks.push_back(make_check(table + " not empty", CheckKind::kMinRows, table));
  }
  for (const auto& table : model::star_table_names()) {
    std::string key = key_column_of(table);
    checks.push_back(make_check(table + "." + key + " unique", CheckKind::kUnique, table, key));
    checks.push_back(make_check(table + "." + key + " not NULL", CheckKind::kNotNull, table, key));
  }
  checks.push_back(make_check("songplays.user_id not NULL", CheckKind::kNotNull, "songplays", "user_id"));
  // A play's song and artist are NULL when it matched no song; its start
  // time is NULL when its event had no ts. Where set, each must exist.
  checks.push_back(make_check("songplays.user_id in users", CheckKind::kReferences, "songplays", "user_id", "users", "user_id"));
  checks.push_back(make_check("songplays.start_time in time", CheckKind::kReferences, "songplays", "start_time", "time",
                              "start_time"));
  checks.push_back(make_check("songplays.song_id in songs", CheckKind::kReferences, "songplays", "song_id", "songs", "song_id"));
  checks.push_back(make_check("songplays.artist_id in artists", CheckKind::kReferences, "songplays", "artist_id",
                              "artists", "artist_id"));
  checks.push_back(make_check("songplays within NextSong events", CheckKind::kPlaysWithinEvents, "songplays"));
  checks.push_back(make_check("match rate", CheckKind::kMatchRate, "songplays", "song_id"));
  return checks;
}

std::string format_results(const std::vector<CheckResult>& results) {
  size_t width = 5;
  for (const auto& result : results) width = std::max(width, result.name.size());
  std::string out = fmt::format("{:<{}}  {:>10}  {:>8}  {}\n", "check", width, "examined", "failures", "result");
  for (const auto& result : results) {
    std::string verdict = result.skipped ? "skipped" : result.passed ? "ok" : "FAILED";
    if (!result.note.empty()) verdict += " (" + result.note + ")";
    if (!result.sample.empty()) {
      verdict += "; e.g.";
      for (const auto& key : result.sample) verdict += " " + key;
    }
    out += fmt::format("{:<{}}  {:>10}  {:>8}  {}\n", result.name, width, result.examined, result.failures, verdict);
  }
  size_t failed = static_cast<size_t>(
      std::count_if(results.begin(), results.end(), [](const CheckResult& result) { return !result.passed; }));
  out += failed == 0 ? fmt::format("all {} checks passed\n", results.size())
                     : fmt::format("{} of {} checks FAILED\n", failed, results.size());
  return out;
}

std::string results_json(const std::vector<CheckResult>& results) {
  std::string out = "[";
  for (size_t idx = 0; idx < results.size(); ++idx) {
    const CheckResult& result = results[idx];
    out += idx ? "," : "";
    out += fmt::format("{{\"check\":{},\"examined\":{},\"failures\":{},\"passed\":{},\"skipped\":{},\"note\":{},\"sample\":[",
                       model::json_quote(result.name), result.examined, result.failures, result.passed,
                       result.skipped, model::json_quote(result.note));
    for (size_t key = 0; key < result.sample.size(); ++key) {
      out += (key ? "," : "") + model::json_quote(result.sample[key]);
    }
    out += "]}";
  }
  return out + "]";
}

bool all_passed(const std::vector<CheckResult>& results) {
  return std::all_of(results.begin(), results.end(), [](const CheckResult& result) { return result.passed; });
}

}  // namespace sparkify::quality
