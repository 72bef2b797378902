#include "quality/checks_file.h"

#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "model/error.h"
#include "quality/check_sql.h"

namespace sparkify::quality {
namespace {

using simdjson::dom::element;

// The value of `key` in `entry` as text (a number or string), or nullopt.
std::optional<std::string> text_of(element entry, const char* key) {
  element value;
  if (entry[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  if (value.is_string()) return std::string(value.get_string().value());
  if (value.is_int64()) return std::to_string(value.get_int64().value());
  if (value.is_uint64()) return std::to_string(value.get_uint64().value());
  if (value.is_double()) return simdjson::minify(value);
  if (value.is_bool()) return value.get_bool().value() ? "true" : "false";
  if (value.is_null()) return "NULL";
  return simdjson::minify(value);
}

}  // namespace

std::vector<Check> parse_checks(const std::string& text, const std::string& path) {
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(text).get(root); error) {
    throw UsageError(path + ": not JSON: " + simdjson::error_message(error));
  }
  simdjson::dom::array entries;
  if (root.get_array().get(entries) != simdjson::SUCCESS) {
    throw UsageError(path + ": a checks file is a JSON array of checks");
  }
  std::vector<Check> checks;
  size_t index = 0;
  for (element entry : entries) {
    ++index;
    std::string where = path + ": check " + std::to_string(index);
    if (!entry.is_object()) throw UsageError(where + " is not a JSON object");
    Check check;
    auto sql = text_of(entry, "sql");
    if (!sql) sql = text_of(entry, "check_sql");
    auto expected = text_of(entry, "expected");
    if (!expected) expected = text_of(entry, "expected_result");
    std::string kind = text_of(entry, "kind").value_or(sql ? "sql" : "");
    check.table = text_of(entry, "table").value_or("");
    check.column = text_of(entry, "column").value_or("");
    check.parent_table = text_of(entry, "parent_table").value_or("");
    check.parent_column = text_of(entry, "parent_column").value_or("");
    auto require = [&](bool present, const char* keys) {
      if (!present) throw UsageError(where + " (" + kind + ") needs " + keys);
    };
    if (kind == "sql") {
      require(sql && expected, "\"sql\" and \"expected\"");
      check.kind = CheckKind::kSql;
      check.sql = *sql;
      check.expected = *expected;
    } else if (kind == "not_null" || kind == "unique") {
      require(!check.table.empty() && !check.column.empty(), "\"table\" and \"column\"");
      check.kind = kind == "unique" ? CheckKind::kUnique : CheckKind::kNotNull;
    } else if (kind == "min_rows") {
      auto rows = text_of(entry, "min_rows");
      require(!check.table.empty() && rows, "\"table\" and \"min_rows\"");
      check.kind = CheckKind::kMinRows;
      check.min_rows = std::stoll(*rows);
    } else if (kind == "references") {
      require(!check.table.empty() && !check.column.empty() && !check.parent_table.empty() &&
                  !check.parent_column.empty(),
              "\"table\", \"column\", \"parent_table\" and \"parent_column\"");
      check.kind = CheckKind::kReferences;
    } else {
      throw UsageError(where + ": unknown kind '" + kind +
                       "' (sql, not_null, unique, min_rows or references; a check with \"sql\" needs no kind)");
    }
    check.name = text_of(entry, "name").value_or(
        check.kind == CheckKind::kSql ? check.sql : kind + " " + check.table + "." + check.column);
    try {
      check_queries(check);  // names only the star schema's tables and columns
    } catch (const UsageError& error) {
      throw UsageError(where + ": " + error.what());
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

std::vector<Check> checks_to_run(const std::optional<std::string>& user_file) {
  std::vector<Check> checks = contract_checks();
  if (user_file) {
    for (auto& check : read_checks_file(*user_file)) checks.push_back(std::move(check));
  }
  return checks;
}

std::vector<Check> read_checks_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read the checks file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_checks(text.str(), path);
}

}  // namespace sparkify::quality
