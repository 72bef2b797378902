#include "support/test_database.h"

#include <cstdlib>
#include <random>
#include <stdexcept>

#include "support/star_compare.h"

namespace sparkify::testing {

std::string test_server_uri() {
  const char* uri = std::getenv("SPARKIFY_TEST_PG");
  return uri ? uri : "";
}

TestDatabase::TestDatabase() {
  std::random_device seed;
  name_ = "sparkify_test_" + std::to_string(seed() % 1000000000);
  query_scalar(test_server_uri(), "CREATE DATABASE " + name_);
  std::string server = test_server_uri();
  auto slash = server.rfind('/');
  uri_ = server.substr(0, slash + 1) + name_;
}

TestDatabase::~TestDatabase() {
  try {
    query_scalar(test_server_uri(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

}  // namespace sparkify::testing
