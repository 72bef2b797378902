// A fresh PostgreSQL database per test, on the server named by
// SPARKIFY_TEST_PG (scripts/start-postgres.sh prints it); dropped at the end.
#pragma once

#include <string>

namespace sparkify::testing {

// The server's URI, or empty when SPARKIFY_TEST_PG is unset.
std::string test_server_uri();

class TestDatabase {
 public:
  TestDatabase();  // requires test_server_uri() to be non-empty
  ~TestDatabase();
  const std::string& uri() const { return uri_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string uri_;
};

}  // namespace sparkify::testing

// Skips the test, saying why, when no PostgreSQL server is configured.
#define SPARKIFY_REQUIRE_POSTGRES()                                                        \
  if (::sparkify::testing::test_server_uri().empty())                                      \
  GTEST_SKIP() << "no PostgreSQL server: set SPARKIFY_TEST_PG (eval \"$(scripts/start-postgres.sh)\")"
