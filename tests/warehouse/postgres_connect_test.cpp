// The libpq keywords PostgresWarehouse adds to the user's connection string,
// checked without a server.
#include <gtest/gtest.h>

#include <map>

#include "model/error.h"
#include "warehouse/postgres_connect_internal.h"

namespace sparkify::warehouse::postgres_internal {
namespace {

// keyword → value of the parameters, "dbname" (the whole string) aside.
std::map<std::string, std::string> added(const ConnectParameters& parameters) {
  std::map<std::string, std::string> out;
  for (size_t idx = 1; idx < parameters.keywords.size(); ++idx) out[parameters.keywords[idx]] = parameters.values[idx];
  return out;
}

TEST(ConnectParameters, TheStringComesFirstThenTheTimeoutAndKeepalives) {
  ConnectParameters parameters = connect_parameters("host=db dbname=dwh user=etl password='hunter2'", {30, 0});
  ASSERT_FALSE(parameters.keywords.empty());
  EXPECT_EQ(parameters.keywords[0], "dbname");
  EXPECT_EQ(parameters.values[0], "host=db dbname=dwh user=etl password='hunter2'");
  EXPECT_EQ(added(parameters), (std::map<std::string, std::string>{{"connect_timeout", "30"},
                                                                   {"keepalives", "1"},
                                                                   {"keepalives_idle", "30"},
                                                                   {"keepalives_interval", "10"},
                                                                   {"keepalives_count", "3"}}));
  EXPECT_EQ(parameters.connect_timeout_s, 30);
  EXPECT_FALSE(parameters.set_statement_timeout);
}

TEST(ConnectParameters, ValuesTheStringSetsWin) {
  ConnectParameters uri =
      connect_parameters("postgresql://etl@db/dwh?connect_timeout=5&keepalives_idle=7&keepalives=0", {30, 0});
  EXPECT_EQ(added(uri), (std::map<std::string, std::string>{{"keepalives_interval", "10"}, {"keepalives_count", "3"}}));
  EXPECT_EQ(uri.connect_timeout_s, 5);
  ConnectParameters pairs = connect_parameters("host=db connect_timeout=12 keepalives_count=9", {30, 0});
  EXPECT_EQ(added(pairs).count("connect_timeout"), 0u);
  EXPECT_EQ(added(pairs).count("keepalives_count"), 0u);
  EXPECT_EQ(pairs.connect_timeout_s, 12);
}

TEST(ConnectParameters, NoConnectTimeoutForZero) {
  ConnectParameters parameters = connect_parameters("", {0, 0});
  EXPECT_EQ(added(parameters).count("connect_timeout"), 0u);
  EXPECT_EQ(parameters.connect_timeout_s, 0);
  EXPECT_EQ(added(parameters).count("keepalives"), 1u) << "keep-alives even with everything from PG*";
}

TEST(ConnectParameters, StatementTimeoutUnlessTheStringsOptionsSetOne) {
  EXPECT_TRUE(connect_parameters("host=db", {30, 60}).set_statement_timeout);
  EXPECT_FALSE(connect_parameters("host=db", {30, 0}).set_statement_timeout);
  EXPECT_TRUE(connect_parameters("host=db options='-c work_mem=64MB'", {30, 60}).set_statement_timeout);
  EXPECT_FALSE(connect_parameters("host=db options='-c statement_timeout=5s'", {30, 60}).set_statement_timeout);
  EXPECT_FALSE(
      connect_parameters("postgresql://db/dwh?options=-c%20statement_timeout%3D5000", {30, 60}).set_statement_timeout);
}

TEST(ConnectParameters, AStringLibpqCannotParseIsAUsageErrorWithoutIt) {
  for (const char* conninfo : {"host=db password=hunter2 frobnicate=1", "postgresql://etl:hunter2@db/dwh?bogus=1"}) {
    try {
      connect_parameters(conninfo, {30, 0});
      ADD_FAILURE() << conninfo;
    } catch (const UsageError& error) {
      EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace sparkify::warehouse::postgres_internal
