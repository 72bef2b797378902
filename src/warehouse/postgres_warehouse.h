// The Warehouse on PostgreSQL through libpq: staging with COPY FROM STDIN
// (binary format), the star schema COPYed in as the tool built it, or with
// the shared transform SQL, the whole load in one transaction.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "warehouse/connect_options.h"
#include "warehouse/match_sql.h"
#include "warehouse/pq_connection.h"
#include "warehouse/warehouse.h"

namespace sparkify::warehouse {

class PostgresWarehouse final : public Warehouse {
 public:
  // Connects with a libpq connection string or URI ("" or "postgresql://"
  // take everything from the PG* environment variables), as PqConnection
  // does, and throws what it throws.
  explicit PostgresWarehouse(const std::string& conninfo, const ConnectOptions& options = {});
  // Over an open session (or a rehearsal's).
  explicit PostgresWarehouse(std::unique_ptr<PqConnection> connection);
  ~PostgresWarehouse() override;

  void create_tables() override;
  void begin_load(const std::string& load_id) override;
  void stage_songs(const std::vector<model::SongRecord>& songs) override;
  void stage_events(const std::vector<model::EventRecord>& events) override;
  void end_stage() override;
  bool takes_star_rows() const override { return true; }
  void load_star(const transform::StarBuilder& star) override;
  TableCounts transform() override;
  // The full transform: the five star tables rebuilt from staging.
  void build_star();
  IncrementalPlan plan_incremental(const SourceListing& sources) override;
  TableCounts transform_incremental(const IncrementalPlan& plan, const std::string& load_id) override;
  std::vector<quality::CheckResult> run_checks(const std::vector<quality::Check>& checks) override;
  std::vector<std::vector<TextRow>> read_snapshot(const std::vector<NamedQuery>& queries) override;
  quality::MatchDiagnostics match_diagnostics() override;
  void commit(const std::string& load_id) override;
  bool has_committed(const std::string& load_id) override;
  void abort() noexcept override;
  std::string describe() const override;

 private:
  enum class Staging { kNone, kSongs, kEvents };

  void start_copy(Staging table);
  void flush_copy_buffer(bool force);
  // COPYs a star table's rows: for_each_row(emit) calls emit(row) for each.
  template <typename ForEachRow>
  void copy_star_table(const char* statement, const char* what, ForEachRow for_each_row);

  std::unique_ptr<PqConnection> connection_;
  MatchCatalog match_catalog_ = MatchCatalog::kStagedSongs;  // what the last transform left the songs in
  Staging staging_ = Staging::kNone;
  std::string copy_buffer_;
  std::mutex staging_mutex_;  // stage_events() of several threads
  bool in_transaction_ = false;
  bool star_loaded_ = false;  // load_star() filled the star tables of this load
  TableCounts star_counts_;   // what it COPYed
  TableCounts staged_;        // the staging rows of this load
};

}  // namespace sparkify::warehouse
