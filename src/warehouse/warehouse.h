// The Warehouse interface: a server that stages the raw records and builds
// the star schema from them with SQL: PostgreSQL (postgres_warehouse.h) and
// Amazon Redshift (redshift_warehouse.h).
//
// Life cycle of a load, all in one transaction:
//   begin_load() → plan_staging() → stage_songs() … end_stage()
//   → stage_events() … end_stage()        (or, when stages_from_sources():
//                                           stage_from_sources() alone)
//   → [load_star()] → transform() → [unload()…] → commit(load_id)
//   or, on any failure, abort().
// Until commit() returns, other sessions see the previous tables unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "model/records.h"
#include "model/reject.h"
#include "model/star.h"
#include "quality/check.h"
#include "quality/match_diagnostics.h"
#include "transform/star_builder.h"
#include "warehouse/incremental.h"

namespace sparkify::warehouse {

using model::TableCounts;

// The files of a load's two sources, as listed (sorted), and where they
// were listed from: views of the caller's lists (a hundred thousand song
// files are not copied for a call), valid for the call.
struct SourceListing {
  std::string song_data;
  std::string log_data;
  std::span<const io::FileEntry> songs;
  std::span<const io::FileEntry> events;
  // A backfill (--since/--until): its window, and the event files it
  // reads again (those of `events` dated inside it or not dated).
  std::optional<model::DayWindow> window{};
  std::span<const io::FileEntry> window_events{};
};

// A read-only query, named for errors.
struct NamedQuery {
  std::string name;
  std::string sql;
};

// A row as text, nullopt for NULL.
using TextRow = std::vector<std::optional<std::string>>;

class Warehouse {
 public:
  virtual ~Warehouse() = default;

  // Drops and recreates the staging and star tables (create-tables).
  virtual void create_tables() = 0;

  // Opens the load's transaction, creates missing tables and empties the
  // staging tables. `load_id` is unique to the run (it names the run's own
  // files, where the warehouse writes any).
  virtual void begin_load(const std::string& load_id) = 0;

  // What the sources hold, before any record is staged (sizes the staging
  // files where the warehouse writes them).
  virtual void plan_staging(const SourceListing& /*sources*/) {}

  // Whether the server reads the sources itself (Redshift's COPY from S3):
  // then stage_from_sources() replaces the stage_*() calls, and returns the
  // rows the server rejected, each with its file, line, column and reason.
  virtual bool stages_from_sources() const { return false; }
  virtual model::Rejects stage_from_sources(const SourceListing& sources);

  // Streams records into staging_songs / staging_events. Calls for one
  // table come together and end with end_stage(). A warehouse that
  // takes_star_rows() takes stage_events() from several threads at once.
  virtual void stage_songs(const std::vector<model::SongRecord>& songs) = 0;
  virtual void stage_events(const std::vector<model::EventRecord>& events) = 0;
  virtual void end_stage() = 0;

  // Rebuilds the five star tables from staging (a full load), empties the
  // kept state of incremental loads (incremental.h), and counts every table.
  virtual TableCounts transform() = 0;

  // Whether the star tables can take rows built in process (the tool's
  // StarBuilder, fed the staged records) instead of the SQL of
  // transform(). Then load_star(), before transform() or a rebuild's
  // transform_incremental(), replaces the star tables with `star`'s rows,
  // and those leave them as they are.
  virtual bool takes_star_rows() const { return false; }
  virtual void load_star(const transform::StarBuilder& star);

  // --incremental (incremental.h): which of `sources` to load, read from
  // the ledger inside the open load; then, once they are staged, the merge
  // (or a rebuild) in place of transform(), recording the files. After it,
  // match_diagnostics() explains the staged events against every song kept.
  virtual IncrementalPlan plan_incremental(const SourceListing& sources) = 0;
  virtual TableCounts transform_incremental(const IncrementalPlan& plan, const std::string& load_id) = 0;

  // Writes star table `table` as Parquet under `prefix` (an s3:// folder),
  // hive-partitioned as the lake's layout says, from inside the load (it
  // sees the load's rows). Only a warehouse that can (Redshift's UNLOAD).
  virtual bool can_unload() const { return false; }
  // The counts the last transform() returned.
  virtual TableCounts star_counts() const { return {}; }
  virtual void unload(const std::string& table, const std::string& prefix);

  // Runs `checks` on the tables as this session sees them: inside an open
  // load, its new tables before they are committed.
  virtual std::vector<quality::CheckResult> run_checks(const std::vector<quality::Check>& checks) = 0;

  // Reads the committed tables, outside any load: runs `queries` in one
  // read-only transaction, so that all see the same tables even while a
  // load commits, and returns the rows of each, in order. Throws
  // WarehouseError naming the server and the failing query's name.
  virtual std::vector<std::vector<TextRow>> read_snapshot(const std::vector<NamedQuery>& queries) = 0;

  // Why plays did or did not match a song: the open load's staged events,
  // against its staged songs (a full load) or every song kept (incremental).
  virtual quality::MatchDiagnostics match_diagnostics() = 0;

  // Records `load_id` in the ledger of committed loads (sparkify_loads),
  // then commits: the row exists exactly when the load committed.
  virtual void commit(const std::string& load_id) = 0;

  // Whether a load with this id was committed (its ledger row exists). Runs
  // inside the open load, or on its own.
  virtual bool has_committed(const std::string& load_id) = 0;

  // Rolls the load back; safe to call at any point, also after a failure.
  virtual void abort() noexcept = 0;

  // Where the data goes, for logs: host, port, database and user only.
  virtual std::string describe() const = 0;
};

}  // namespace sparkify::warehouse
