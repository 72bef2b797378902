// The Warehouse on PostgreSQL through libpq: staging with COPY FROM STDIN
// (text format), the star schema with the shared transform SQL, the whole
// load in one transaction.
#pragma once

#include <memory>
#include <string>

#include "warehouse/warehouse.h"

namespace sparkify::warehouse {

class PostgresWarehouse final : public Warehouse {
 public:
  // Connects with a libpq connection string or URI ("" or "postgresql://"
  // take everything from the PG* environment variables). Throws
  // WarehouseError naming host, port and database (never the password) when
  // the server cannot be reached or refuses the login.
  explicit PostgresWarehouse(const std::string& conninfo);
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
