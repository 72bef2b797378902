#include "warehouse/postgres_warehouse.h"

#include "warehouse/copy_text.h"
#include "warehouse/postgres_sql.h"
#include "warehouse/match_sql.h"
#include "warehouse/read_snapshot.h"
#include "warehouse/sql_checks.h"
#include "warehouse/table_counts.h"
#include "warehouse/transform_sql.h"

namespace sparkify::warehouse {
namespace {

// Bytes gathered before one PQputCopyData: large enough to amortise the
// call, small enough to keep the server busy while we encode.
constexpr size_t kCopyChunkBytes = 1 << 20;

const char* copy_name(bool songs) { return songs ? "COPY staging_songs" : "COPY staging_events"; }

std::vector<std::string> kept_state() {
  std::vector<std::string> statements(std::begin(postgres_sql::kCreateKeptState),
                                      std::end(postgres_sql::kCreateKeptState));
  // A hash index: a title of any length has a key.
  statements.push_back("CREATE INDEX IF NOT EXISTS sparkify_song_matches_loose ON sparkify_song_matches USING hash (" +
                       loose_text_sql("title") + ")");
  return statements;
}

}  // namespace

PostgresWarehouse::PostgresWarehouse(const std::string& conninfo, const ConnectOptions& options)
    : connection_(std::make_unique<PqConnection>("PostgreSQL", conninfo, options)) {}

PostgresWarehouse::PostgresWarehouse(std::unique_ptr<PqConnection> connection) : connection_(std::move(connection)) {}

PostgresWarehouse::~PostgresWarehouse() { abort(); }

std::string PostgresWarehouse::describe() const { return connection_->where(); }

void PostgresWarehouse::create_tables() {
  connection_->run("BEGIN", "begin");
  connection_->run(postgres_sql::kDropTables, "drop tables");
  drop_incremental_tables(*connection_);
  for (const char* create : postgres_sql::kCreateTables) connection_->run(create, "create table");
  create_incremental_tables(*connection_, kept_state());
  connection_->run("COMMIT", "commit");
}

void PostgresWarehouse::begin_load(const std::string& /*load_id*/) {
  connection_->run("BEGIN", "begin");
  in_transaction_ = true;
  for (const char* create : postgres_sql::kCreateTables) connection_->run(create, "create table");
  create_incremental_tables(*connection_, kept_state());
  connection_->run(postgres_sql::kEmptyStaging, "empty staging tables");
}

void PostgresWarehouse::start_copy(Staging table) {
  if (staging_ == table) return;
  if (staging_ != Staging::kNone) end_stage();
  bool songs = table == Staging::kSongs;
  connection_->copy_start(songs ? postgres_sql::kCopySongs : postgres_sql::kCopyEvents, copy_name(songs));
  staging_ = table;
  copy_buffer_.clear();
  copy_buffer_.reserve(kCopyChunkBytes + (64 << 10));
}

void PostgresWarehouse::flush_copy_buffer(bool force) {
  if (copy_buffer_.empty() || (!force && copy_buffer_.size() < kCopyChunkBytes)) return;
  connection_->copy_put(copy_buffer_, copy_name(staging_ == Staging::kSongs));
  copy_buffer_.clear();
}

void PostgresWarehouse::stage_songs(const std::vector<model::SongRecord>& songs) {
  start_copy(Staging::kSongs);
  append_copy_rows(songs, copy_buffer_);
  flush_copy_buffer(false);
}

void PostgresWarehouse::stage_events(const std::vector<model::EventRecord>& events) {
  start_copy(Staging::kEvents);
  append_copy_rows(events, copy_buffer_);
  flush_copy_buffer(false);
}

void PostgresWarehouse::end_stage() {
  if (staging_ == Staging::kNone) return;
  const char* what = copy_name(staging_ == Staging::kSongs);
  flush_copy_buffer(true);
  staging_ = Staging::kNone;
  connection_->copy_end(what);
}

TableCounts PostgresWarehouse::transform() {
  end_stage();
  match_catalog_ = MatchCatalog::kStagedSongs;
  build_star();
  clear_incremental_state(*connection_);
  return count_tables(*connection_);
}

void PostgresWarehouse::build_star() {
  connection_->run(postgres_sql::kEmptyStar, "empty star tables");
  connection_->run(sql::kInsertSongplays, "transform songplays");
  connection_->run(sql::kInsertUsers, "transform users");
  connection_->run(sql::kInsertSongs, "transform songs");
  connection_->run(sql::kInsertArtists, "transform artists");
  connection_->run(sql::kInsertTime, "transform time");
}

IncrementalPlan PostgresWarehouse::plan_incremental(const SourceListing& sources) {
  return warehouse::plan_incremental(*connection_, sources);
}

TableCounts PostgresWarehouse::transform_incremental(const IncrementalPlan& plan, const std::string& load_id) {
  end_stage();
  match_catalog_ = MatchCatalog::kKeptSongs;
  if (plan.mode == IncrementalPlan::Mode::kRebuild) {
    build_star();
  } else {
    connection_->run(postgres_sql::kMergePlannerCosts, "set the merge's planner costs");
  }
  return apply_incremental(*connection_, plan, load_id);
}

std::vector<quality::CheckResult> PostgresWarehouse::run_checks(const std::vector<quality::Check>& checks) {
  end_stage();
  return run_sql_checks(*connection_, checks);
}

std::vector<std::vector<TextRow>> PostgresWarehouse::read_snapshot(const std::vector<NamedQuery>& queries) {
  return run_read_only(*connection_, postgres_sql::kBeginSnapshot, queries);
}

quality::MatchDiagnostics PostgresWarehouse::match_diagnostics() {
  end_stage();
  return run_match_diagnostics(*connection_, match_catalog_);
}

void PostgresWarehouse::commit(const std::string& load_id) {
  end_stage();
  connection_->run_with(postgres_sql::kRecordLoad, {load_id}, "record the load in sparkify_loads");
  connection_->run("COMMIT", "commit");
  in_transaction_ = false;
}

bool PostgresWarehouse::has_committed(const std::string& load_id) {
  if (!in_transaction_) connection_->run(postgres_sql::kCreateLoads, "create sparkify_loads");
  return !connection_->query(postgres_sql::kFindLoad, {load_id}, "look up the load in sparkify_loads").empty();
}

void PostgresWarehouse::abort() noexcept {
  if (!connection_) return;
  if (staging_ != Staging::kNone) {
    connection_->copy_cancel();
    staging_ = Staging::kNone;
  }
  if (in_transaction_) {
    connection_->rollback();
    in_transaction_ = false;
  }
}

}  // namespace sparkify::warehouse
