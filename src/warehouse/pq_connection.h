// One libpq session, shared by the PostgreSQL and Redshift warehouses: runs
// statements, names the server (never the password) in every error, and in
// a rehearsal (--dry-run) prints each statement instead of sending it, so
// that the printed plan is the very code path a real run takes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "warehouse/connect_options.h"

struct pg_conn;
struct pg_result;

namespace sparkify::warehouse {

class PqConnection {
 public:
  using Row = std::vector<std::optional<std::string>>;

  // Connects with a libpq connection string or URI ("" takes everything
  // from the PG* environment), TCP keep-alives on. `server` names the kind
  // in messages ("PostgreSQL", "Redshift"). Throws WarehouseError naming
  // host, port and database when the server cannot be reached, does not
  // answer within the connect timeout, or refuses the login; UsageError
  // when libpq cannot parse the string.
  PqConnection(std::string server, const std::string& conninfo, const ConnectOptions& options);

  // A rehearsal: connects to nothing; each statement goes to `out`, ended by
  // ';', and a query answers no rows. `where` names the server for logs.
  PqConnection(std::string server, std::string where, std::ostream& out);

  ~PqConnection();
  PqConnection(const PqConnection&) = delete;
  PqConnection& operator=(const PqConnection&) = delete;

  bool rehearsal() const { return rehearsal_out_ != nullptr; }
  // "user@host:port/db", for logs.
  const std::string& where() const { return where_; }
  const std::string& server() const { return server_; }

  // Runs one statement that returns no rows; `what` names it in the error.
  void run(std::string_view sql, const char* what);
  // As run(), with $1… bound to `params` as text: values never become SQL.
  void run_with(std::string_view sql, const std::vector<std::string>& params, const char* what);
  // The rows of a query, each value as text (nullopt for NULL).
  std::vector<Row> query(std::string_view sql, const std::vector<std::string>& params, const char* what);
  // Runs one INSERT or DELETE; returns the rows it changed (0 in a
  // rehearsal).
  int64_t run_counting(std::string_view sql, const char* what);

  // COPY … FROM STDIN: starts it, sends data, ends it (the server's answer
  // is checked then), or cancels it (in any state, never throwing).
  void copy_start(std::string_view sql, const char* what);
  void copy_put(std::string_view data, const char* what);
  void copy_end(const char* what);
  void copy_cancel() noexcept;

  // A comment in the rehearsal's output (nothing in a real session).
  void note(std::string_view text);

  // ROLLBACK when connected; never throws.
  void rollback() noexcept;

 private:
  // Sends one statement (a rehearsal prints it and returns null); throws
  // WarehouseError as query() says.
  std::shared_ptr<pg_result> execute(std::string_view sql, const std::vector<std::string>& params, const char* what);

  std::string server_;
  std::string where_;
  pg_conn* conn_ = nullptr;
  std::ostream* rehearsal_out_ = nullptr;
};

// "user@host:port/dbname" of a connection string, for logs; never the
// password or other options.
std::string describe_conninfo(const std::string& conninfo);

}  // namespace sparkify::warehouse
