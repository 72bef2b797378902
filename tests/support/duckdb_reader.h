// Reads Parquet back with DuckDB, the independent reader, through
// tests/tools/duckdb_query.mjs (installed by scripts/install-test-tools.sh).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/star.h"

namespace sparkify::testing {

struct DuckResult {
  std::vector<std::pair<std::string, std::string>> columns;  // name, DuckDB type
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// True when node and the DuckDB package are installed.
bool duckdb_available();

// Runs `sql` in an in-memory DuckDB; throws std::runtime_error with DuckDB's
// message on failure.
DuckResult duckdb_query(const std::string& sql);

// Reads the five tables of the lake at `root`, each sorted by its key.
model::StarSchema read_star_from_lake(const std::string& root);

}  // namespace sparkify::testing

#define SPARKIFY_REQUIRE_DUCKDB()                  \
  if (!::sparkify::testing::duckdb_available())   \
  GTEST_SKIP() << "DuckDB is not installed: run scripts/install-test-tools.sh"
