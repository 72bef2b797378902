// The Warehouse on PostgreSQL through libpq: staging with COPY FROM STDIN
// (text format), the star schema with the shared transform SQL, the whole
// load in one transaction.
#pragma once

#include <memory>
#include <string>

#include "warehouse/warehouse.h"

namespace sparkify::warehouse {

// How long the connection may wait, on top of what the connection string
// says; a value the string sets itself (?connect_timeout=10,
// options='-c statement_timeout=…') wins over these.
struct ConnectOptions {
  // Seconds to wait for the server to accept the connection and answer the
  // login, per host address; 0 for no limit. libpq waits at least 2.
  int connect_timeout_s = 0;
  // Seconds one statement may run before the server cancels it (SQLSTATE
  // 57014); 0 sets nothing, leaving the server's own setting.
  int statement_timeout_s = 0;
};

class PostgresWarehouse final : public Warehouse {
 public:
  // Connects with a libpq connection string or URI ("" or "postgresql://"
  // take everything from the PG* environment variables), with TCP
  // keep-alives on (see postgres_connect_internal.h) so that a dropped link
  // fails the load instead of hanging it. Throws WarehouseError naming host,
  // port and database (never the password) when the server cannot be
  // reached, does not answer within the connect timeout (the message says it
  // timed out), or refuses the login; UsageError when libpq cannot parse
  // the connection string.
  explicit PostgresWarehouse(const std::string& conninfo, const ConnectOptions& options = {});
  ~PostgresWarehouse() override;

  void create_tables() override;
  void begin_load() override;
  void stage_songs(const std::vector<model::SongRecord>& songs) override;
  void stage_events(const std::vector<model::EventRecord>& events) override;
  void end_stage() override;
  TableCounts transform() override;
  void commit(const std::string& load_id) override;
  bool has_committed(const std::string& load_id) override;
  void abort() noexcept override;
  std::string describe() const override;

 private:
  struct Connection;
  enum class Staging { kNone, kSongs, kEvents };

  void start_copy(Staging table);
  void flush_copy_buffer(bool force);

  std::unique_ptr<Connection> connection_;
  Staging staging_ = Staging::kNone;
  std::string copy_buffer_;
  bool in_transaction_ = false;
};

// "user@host:port/dbname" of a connection string, for logs; never the
// password or other options.
std::string describe_conninfo(const std::string& conninfo);

}  // namespace sparkify::warehouse
