// PostgreSQL's SQL spells its tables out; it must name exactly the tables
// of the catalog (model/catalog.h) that the lake and the CLI read.
#include "warehouse/postgres_sql.h"

#include <gtest/gtest.h>

#include <string>

#include "model/catalog.h"

namespace sparkify::warehouse {
namespace {

TEST(PostgresSql, CreatesDropsAndEmptiesEveryTableOfTheCatalog) {
  std::string creates;
  for (const char* create : postgres_sql::kCreateTables) creates += create;
  std::string drops = postgres_sql::kDropTables;
  for (const auto& name : model::staging_table_names()) {
    EXPECT_NE(creates.find("CREATE TABLE IF NOT EXISTS " + name + " ("), std::string::npos) << name;
    EXPECT_NE(drops.find(" " + name), std::string::npos) << name;
    EXPECT_NE(std::string(postgres_sql::kEmptyStaging).find(name), std::string::npos) << name;
  }
  for (const auto& name : model::star_table_names()) {
    EXPECT_NE(creates.find("CREATE TABLE IF NOT EXISTS " + name + " ("), std::string::npos) << name;
    EXPECT_NE(drops.find(" " + name), std::string::npos) << name;
    EXPECT_NE(std::string(postgres_sql::kEmptyStar).find(name), std::string::npos) << name;
  }
  // The ledger of committed loads outlives create-tables.
  EXPECT_NE(creates.find("sparkify_loads"), std::string::npos);
  EXPECT_EQ(drops.find("sparkify_loads"), std::string::npos);
}

}  // namespace
}  // namespace sparkify::warehouse
