#include "warehouse/postgres_warehouse.h"

#include "warehouse/copy_binary.h"
#include "warehouse/match_sql.h"
#include "warehouse/postgres_sql.h"
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
  star_loaded_ = false;
  staged_ = {};
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
  append_copy_header(copy_buffer_);
}

void PostgresWarehouse::flush_copy_buffer(bool force) {
  if (copy_buffer_.empty() || (!force && copy_buffer_.size() < kCopyChunkBytes)) return;
  connection_->copy_put(copy_buffer_, copy_name(staging_ == Staging::kSongs));
  copy_buffer_.clear();
}

void PostgresWarehouse::stage_songs(const std::vector<model::SongRecord>& songs) {
  start_copy(Staging::kSongs);
  append_copy_rows(songs, copy_buffer_);
  staged_.staging_songs += static_cast<int64_t>(songs.size());
  flush_copy_buffer(false);
}

void PostgresWarehouse::stage_events(const std::vector<model::EventRecord>& events) {
  // Encoded before the lock: the batches of several reading threads are
  // encoded at once, and only their sending takes turns.
  thread_local std::string rows;
  rows.clear();
  append_copy_rows(events, rows);
  std::lock_guard lock(staging_mutex_);
  start_copy(Staging::kEvents);
  copy_buffer_ += rows;
  staged_.staging_events += static_cast<int64_t>(events.size());
  flush_copy_buffer(false);
}

void PostgresWarehouse::end_stage() {
  if (staging_ == Staging::kNone) return;
  const char* what = copy_name(staging_ == Staging::kSongs);
  append_copy_trailer(copy_buffer_);
  flush_copy_buffer(true);
  staging_ = Staging::kNone;
  connection_->copy_end(what);
}

template <typename ForEachRow>
void PostgresWarehouse::copy_star_table(const char* statement, const char* what, ForEachRow for_each_row) {
  connection_->copy_start(statement, what);
  try {
    std::string text;
    text.reserve(kCopyChunkBytes + (64 << 10));
    append_copy_header(text);
    for_each_row([&](const auto& row) {
      append_copy_row(row, text);
      if (text.size() >= kCopyChunkBytes) {
        connection_->copy_put(text, what);
        text.clear();
      }
    });
    append_copy_trailer(text);
    connection_->copy_put(text, what);
  } catch (...) {
    connection_->copy_cancel();  // the session leaves the COPY, so that abort() can roll back
    throw;
  }
  connection_->copy_end(what);
}

void PostgresWarehouse::load_star(const transform::StarBuilder& star) {
  end_stage();
  connection_->run(postgres_sql::kEmptyStar, "empty star tables");
  copy_star_table(postgres_sql::kCopyStarSongplays, "COPY songplays", [&star](const auto& emit) {
    for (size_t row = 0; row < star.songplay_count(); ++row) emit(star.songplay(row));
  });
  auto copy_rows = [this](const char* statement, const char* what, const auto& rows) {
    copy_star_table(statement, what, [&rows](const auto& emit) {
      for (const auto& row : rows) emit(row);
    });
  };
  copy_rows(postgres_sql::kCopyStarUsers, "COPY users", star.users());
  copy_rows(postgres_sql::kCopyStarSongs, "COPY songs", star.songs());
  copy_rows(postgres_sql::kCopyStarArtists, "COPY artists", star.artists());
  copy_star_table(postgres_sql::kCopyStarTime, "COPY time",
                  [&star](const auto& emit) { star.for_each_time_row(emit); });
  star_loaded_ = true;
  star_counts_ = star.counts();
}

TableCounts PostgresWarehouse::transform() {
  end_stage();
  match_catalog_ = MatchCatalog::kStagedSongs;
  clear_incremental_state(*connection_);
  if (!star_loaded_) {
    build_star();
    return count_tables(*connection_);
  }
  // The rows staged and built are known: nothing is counted again.
  TableCounts counts = star_counts_;
  counts.staging_songs = staged_.staging_songs;
  counts.staging_events = staged_.staging_events;
  return counts;
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
    if (!star_loaded_) build_star();
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
