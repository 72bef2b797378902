#include <libpq-fe.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "model/error.h"
#include "warehouse/postgres_connect_internal.h"

namespace sparkify::warehouse::postgres_internal {
namespace {

struct OptionsDeleter {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};

}  // namespace

ConnectParameters connect_parameters(const std::string& conninfo, const ConnectOptions& options) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, OptionsDeleter> parsed(PQconninfoParse(conninfo.c_str(), &error));
  if (error) PQfreemem(error);  // its text may quote the string, password included
  if (!parsed) {
    throw UsageError(
        "the warehouse target is not a connection string libpq accepts (an unknown keyword or URI parameter, "
        "or a malformed URI?)");
  }
  // Only what the string itself says: PQconninfoParse applies no defaults.
  std::map<std::string, std::string> given;
  for (PQconninfoOption* option = parsed.get(); option->keyword; ++option) {
    if (option->val && *option->val) given[option->keyword] = option->val;
  }

  ConnectParameters parameters;
  auto add = [&](const char* keyword, const std::string& value) {
    parameters.keywords.push_back(keyword);
    parameters.values.push_back(value);
  };
  add("dbname", conninfo);
  if (auto it = given.find("connect_timeout"); it != given.end()) {
    parameters.connect_timeout_s = std::atoi(it->second.c_str());
  } else if (options.connect_timeout_s > 0) {
    add("connect_timeout", std::to_string(options.connect_timeout_s));
    parameters.connect_timeout_s = options.connect_timeout_s;
  }
  for (auto [keyword, value] :
       {std::pair{"keepalives", "1"}, std::pair{"keepalives_idle", kKeepalivesIdleS},
        std::pair{"keepalives_interval", kKeepalivesIntervalS}, std::pair{"keepalives_count", kKeepalivesCount}}) {
    if (!given.count(keyword)) add(keyword, value);
  }
  auto user_options = given.find("options");
  parameters.set_statement_timeout =
      options.statement_timeout_s > 0 &&
      (user_options == given.end() || user_options->second.find("statement_timeout") == std::string::npos);
  return parameters;
}

}  // namespace sparkify::warehouse::postgres_internal
