#include "report/lake_sql.h"

#include <fmt/format.h>

#include "model/catalog.h"

namespace sparkify::report {
namespace {

// A SQL string literal: the path is the user's, so its quotes are doubled.
std::string sql_literal(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + "'";
}

}  // namespace

std::string lake_views_sql(const std::string& root) {
  std::string base = root;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::string sql;
  if (base.rfind("s3://", 0) == 0) {
    sql +=
        "-- DuckDB reads s3:// with its httpfs extension and a secret, e.g.\n"
        "-- INSTALL httpfs; LOAD httpfs; CREATE SECRET (TYPE s3, PROVIDER credential_chain);\n";
  }
  sql += "SET TimeZone = 'UTC';\n";
  for (const auto& table : model::star_table_names()) {
    sql += fmt::format("CREATE VIEW {} AS SELECT * FROM read_parquet({}, hive_partitioning = true);\n", table,
                       sql_literal(base + "/" + table + "/**/*.parquet"));
  }
  return sql;
}

}  // namespace sparkify::report
