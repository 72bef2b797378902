// Comparing two star schemas table by table, with a readable first
// difference, and reading one back from PostgreSQL.
#pragma once

#include <string>

#include "model/star.h"

namespace sparkify::testing {

// Empty when equal, else the first differing table and row.
std::string first_difference(const model::StarSchema& expected, const model::StarSchema& actual);

// Reads the five star tables from a PostgreSQL server, each sorted by key.
model::StarSchema read_star_from_postgres(const std::string& conninfo);

// Runs one SQL statement and returns the first column of the first row
// (empty when no row); throws std::runtime_error on failure.
std::string query_scalar(const std::string& conninfo, const std::string& sql);

}  // namespace sparkify::testing
