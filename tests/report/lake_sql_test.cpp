// The statements that name a lake's tables for DuckDB.
#include "report/lake_sql.h"

#include <gtest/gtest.h>

namespace sparkify::report {
namespace {

TEST(LakeViewsSql, AViewPerStarTableInUtc) {
  std::string sql = lake_views_sql("/srv/lake/");
  EXPECT_EQ(sql.rfind("SET TimeZone = 'UTC';\n", 0), 0u) << sql;
  for (const char* table : {"songplays", "users", "songs", "artists", "time"}) {
    EXPECT_NE(sql.find(std::string("CREATE VIEW ") + table + " AS SELECT * FROM read_parquet('/srv/lake/" + table +
                       "/**/*.parquet', hive_partitioning = true);\n"),
              std::string::npos)
        << sql;
  }
  EXPECT_EQ(sql.find("httpfs"), std::string::npos);
}

TEST(LakeViewsSql, AQuoteInThePathIsDoubled) {
  std::string sql = lake_views_sql("/data/o'neil/lake");
  EXPECT_NE(sql.find("read_parquet('/data/o''neil/lake/users/**/*.parquet'"), std::string::npos) << sql;
}

TEST(LakeViewsSql, AnS3LakeSaysWhatDuckDbNeeds) {
  std::string sql = lake_views_sql("s3://bucket/lake");
  EXPECT_NE(sql.find("-- INSTALL httpfs; LOAD httpfs;"), std::string::npos) << sql;
  EXPECT_NE(sql.find("read_parquet('s3://bucket/lake/songs/**/*.parquet'"), std::string::npos) << sql;
}

}  // namespace
}  // namespace sparkify::report
