// How long a warehouse connection may wait, on top of what the connection
// string says; a value the string sets itself (?connect_timeout=10,
// options='-c statement_timeout=…') wins over these.
#pragma once

namespace sparkify::warehouse {

struct ConnectOptions {
  // Seconds to wait for the server to accept the connection and answer the
  // login, per host address; 0 for no limit. libpq waits at least 2.
  int connect_timeout_s = 0;
  // Seconds one statement may run before the server cancels it (SQLSTATE
  // 57014); 0 sets nothing, leaving the server's own setting.
  int statement_timeout_s = 0;
};

}  // namespace sparkify::warehouse
