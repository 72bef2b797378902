#include "warehouse/sql_checks.h"

#include "model/error.h"
#include "quality/check_sql.h"

namespace sparkify::warehouse {

std::vector<quality::CheckResult> run_sql_checks(PqConnection& connection, const std::vector<quality::Check>& checks) {
  std::vector<quality::CheckResult> results;
  std::string failure;
  for (const auto& check : checks) {
    if (!failure.empty()) {
      quality::CheckResult skipped;
      skipped.name = check.name;
      skipped.skipped = true;
      skipped.note = "not run: a check above failed on the server";
      results.push_back(std::move(skipped));
      continue;
    }
    quality::CheckQueries queries = quality::check_queries(check);
    try {
      auto rows = connection.query(queries.counts, {}, "run a check");
      auto value = [&](size_t column) -> std::optional<std::string> {
        if (rows.empty() || rows[0].size() <= column) return std::nullopt;
        return rows[0][column];
      };
      if (check.kind == quality::CheckKind::kSql) {
        results.push_back(quality::result_of_sql(check, value(0)));
        continue;
      }
      std::vector<std::string> sample;
      if (!queries.sample.empty() && value(1).value_or("0") != "0") {
        for (const auto& row : connection.query(queries.sample, {}, "sample a check's failing keys")) {
          sample.push_back(row.empty() ? "NULL" : row[0].value_or("NULL"));
        }
      }
      results.push_back(quality::result_of(check, std::stoll(value(0).value_or("0")),
                                           std::stoll(value(1).value_or("0")), std::move(sample)));
    } catch (const WarehouseError& error) {
      failure = error.what();
      quality::CheckResult failed;
      failed.name = check.name;
      failed.passed = false;
      failed.failures = 1;
      failed.note = failure;
      results.push_back(std::move(failed));
    }
  }
  return results;
}

}  // namespace sparkify::warehouse
