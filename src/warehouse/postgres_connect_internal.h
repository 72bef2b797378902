// How PostgresWarehouse opens its connection: the libpq keywords it passes
// besides the user's connection string. Private to the warehouse; a header
// only so that the tests can check the rules without a server.
#pragma once

#include <string>
#include <vector>

#include "warehouse/connect_options.h"

namespace sparkify::warehouse::postgres_internal {

// TCP keep-alives: a link that drops while a long statement runs is noticed
// after about a minute of silence (30 s idle, then 3 probes 10 s apart)
// instead of the hours the system's defaults take.
inline constexpr const char* kKeepalivesIdleS = "30";
inline constexpr const char* kKeepalivesIntervalS = "10";
inline constexpr const char* kKeepalivesCount = "3";

struct ConnectParameters {
  // For PQconnectdbParams(keywords, values, expand_dbname = 1): "dbname"
  // with the whole connection string first, then the keywords added.
  std::vector<std::string> keywords;
  std::vector<std::string> values;
  // The connect timeout in effect, the connection string's own if it sets
  // one; 0 for none.
  int connect_timeout_s = 0;
  // Whether to SET statement_timeout once connected: a statement timeout
  // was asked for and the string's `options` set none of their own.
  bool set_statement_timeout = false;
};

// The parameters for `conninfo` ("" for all from the PG* environment) and
// `options`. Each keyword is added only when the connection string does not
// set it, so the user's own values win: connect_timeout (when
// options.connect_timeout_s > 0), keepalives, keepalives_idle,
// keepalives_interval, keepalives_count. Throws UsageError, without
// repeating the string (it may hold a password), when libpq cannot parse
// it.
ConnectParameters connect_parameters(const std::string& conninfo, const ConnectOptions& options);

}  // namespace sparkify::warehouse::postgres_internal
