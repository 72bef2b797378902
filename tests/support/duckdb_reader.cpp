#include "support/duckdb_reader.h"

#include <simdjson.h>
#include <sys/wait.h>

#include <array>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "test_support.h"

namespace sparkify::testing {
namespace {

std::string tools_dir() { return std::string(SPARKIFY_SOURCE_DIR) + "/tests/tools"; }

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::optional<std::string> text_of(simdjson::dom::element element) {
  if (element.is_null()) return std::nullopt;
  return std::string(std::string_view(element.get_string()));
}

std::optional<int32_t> int_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return std::stoi(*text);
}
std::optional<int64_t> bigint_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return std::stoll(*text);
}
std::optional<double> double_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return std::stod(*text);
}

}  // namespace

bool duckdb_available() {
  // Both the npm package and node to run it.
  std::error_code ignored;
  return std::filesystem::exists(tools_dir() + "/node_modules/@duckdb/node-api", ignored) &&
         std::system("command -v node >/dev/null 2>&1") == 0;
}

DuckResult duckdb_query(const std::string& sql) {
  TempDir dir;
  std::string out_path = dir / "out.jsonl";
  std::string err_path = dir / "err.txt";
  std::string command = "node " + shell_quote(tools_dir() + "/duckdb_query.mjs") + " " + shell_quote(sql) + " >" +
                        shell_quote(out_path) + " 2>" + shell_quote(err_path);
  int status = std::system(command.c_str());
  if (status != 0) throw std::runtime_error("DuckDB: " + read_text(err_path) + " (SQL: " + sql + ")");
  std::string output = read_text(out_path);
  DuckResult result;
  simdjson::dom::parser parser;
  size_t line_start = 0;
  bool first = true;
  while (line_start < output.size()) {
    size_t line_end = output.find('\n', line_start);
    if (line_end == std::string::npos) line_end = output.size();
    std::string line = output.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    if (line.empty()) continue;
    simdjson::dom::element doc = parser.parse(line);
    if (first) {
      for (simdjson::dom::element column : doc["columns"].get_array()) {
        result.columns.emplace_back(std::string(std::string_view(column["name"].get_string())),
                                    std::string(std::string_view(column["type"].get_string())));
      }
      first = false;
      continue;
    }
    std::vector<std::optional<std::string>> row;
    for (simdjson::dom::element value : doc.get_array()) row.push_back(text_of(value));
    result.rows.push_back(std::move(row));
  }
  return result;
}

model::StarSchema read_star_from_lake(const std::string& root) {
  auto scan = [&](const std::string& table) {
    return "read_parquet('" + root + "/" + table + "/**/*.parquet', hive_partitioning = true)";
  };
  model::StarSchema star;
  for (const auto& row :
       duckdb_query("SELECT songplay_id, epoch_ms(start_time), user_id, level, song_id, artist_id, session_id, "
                    "location, user_agent FROM " + scan("songplays") + " ORDER BY songplay_id")
           .rows) {
    star.songplays.push_back({*bigint_of(row[0]), bigint_of(row[1]), *int_of(row[2]), row[3], row[4], row[5],
                              int_of(row[6]), row[7], row[8]});
  }
  for (const auto& row : duckdb_query("SELECT user_id, first_name, last_name, gender, level FROM " + scan("users") +
                                      " ORDER BY user_id")
                             .rows) {
    star.users.push_back({*int_of(row[0]), row[1], row[2], row[3], row[4]});
  }
  for (const auto& row : duckdb_query("SELECT song_id, title, artist_id, year, duration FROM " + scan("songs") +
                                      " ORDER BY song_id")
                             .rows) {
    star.songs.push_back({*row[0], row[1], row[2], int_of(row[3]), double_of(row[4])});
  }
  for (const auto& row : duckdb_query("SELECT artist_id, name, location, latitude, longitude FROM " +
                                      scan("artists") + " ORDER BY artist_id")
                             .rows) {
    star.artists.push_back({*row[0], row[1], row[2], double_of(row[3]), double_of(row[4])});
  }
  for (const auto& row : duckdb_query("SELECT epoch_ms(start_time), hour, day, week, month, year, weekday FROM " +
                                      scan("time") + " ORDER BY start_time")
                             .rows) {
    star.time.push_back({*bigint_of(row[0]), *int_of(row[1]), *int_of(row[2]), *int_of(row[3]), *int_of(row[4]),
                         *int_of(row[5]), *int_of(row[6])});
  }
  return star;
}

}  // namespace sparkify::testing
