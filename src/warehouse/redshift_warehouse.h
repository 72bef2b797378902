// The Warehouse on Amazon Redshift: the same star schema and transform SQL
// as PostgreSQL, in Redshift's dialect (redshift_sql.h), with staging loaded
// by the cluster itself with COPY from S3, in one of two ways:
//   compacted  the tool reads and checks the sources (its own rejects) and
//              writes the staging rows as a few gzip JSON-lines parts under
//              the staging prefix, one COPY … MANIFEST per table;
//   direct     the cluster reads the sources where they are (COPY from the
//              source prefix, or from a manifest of the listed files when
//              there is a staging prefix), and the rows it rejects are read
//              back from stl_load_errors into the tool's rejects.
// The whole load is one transaction; the tool's own files under the staging
// prefix are removed when it ends, committed or not.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "io/file_system.h"
#include "warehouse/match_sql.h"
#include "warehouse/pq_connection.h"
#include "warehouse/staging_parts.h"
#include "warehouse/warehouse.h"

namespace sparkify::warehouse {

enum class StageVia { kCompacted, kDirect };

struct RedshiftOptions {
  std::string iam_role;      // the role COPY and UNLOAD act as
  std::string region;        // the buckets' region, when not the cluster's; empty: the cluster's
  StageVia stage_via = StageVia::kCompacted;
  std::string staging;       // s3:// prefix for the tool's own files; empty: none
  std::string log_jsonpath;  // the user's jsonpaths file for events; empty: the tool writes one
  int64_t max_errors = 0;    // MAXERROR of a direct COPY
  std::shared_ptr<io::FileSystem> staging_fs;  // holds `staging`
};

class RedshiftWarehouse final : public Warehouse {
 public:
  RedshiftWarehouse(std::unique_ptr<PqConnection> connection, RedshiftOptions options);
  ~RedshiftWarehouse() override;

  void create_tables() override;
  void begin_load(const std::string& load_id) override;
  void plan_staging(const SourceListing& sources) override;
  bool stages_from_sources() const override { return options_.stage_via == StageVia::kDirect; }
  model::Rejects stage_from_sources(const SourceListing& sources) override;
  void stage_songs(const std::vector<model::SongRecord>& songs) override;
  void stage_events(const std::vector<model::EventRecord>& events) override;
  void end_stage() override;
  TableCounts transform() override;
  // The full transform: the five star tables rebuilt from staging.
  void build_star();
  IncrementalPlan plan_incremental(const SourceListing& sources) override;
  TableCounts transform_incremental(const IncrementalPlan& plan, const std::string& load_id) override;
  bool can_unload() const override { return true; }
  TableCounts star_counts() const override { return counts_; }
  void unload(const std::string& table, const std::string& prefix) override;
  std::vector<quality::CheckResult> run_checks(const std::vector<quality::Check>& checks) override;
  std::vector<std::vector<TextRow>> read_snapshot(const std::vector<NamedQuery>& queries) override;
  quality::MatchDiagnostics match_diagnostics() override;
  void commit(const std::string& load_id) override;
  bool has_committed(const std::string& load_id) override;
  void abort() noexcept override;
  std::string describe() const override;

 private:
  enum class Staging { kNone, kSongs, kEvents };

  // This run's folder under the staging prefix.
  std::string run_folder() const;
  void start_parts(Staging table);
  // Encodes `records` into the table's parts (compacted staging).
  template <typename Record>
  void stage(Staging table, const std::vector<Record>& records);
  // Runs a COPY from S3; returns the rows it rejected. When the COPY fails
  // and rejected rows say why, the transaction is rolled back, the failure
  // kept for transform() to throw, and the rows returned; else throws.
  model::Rejects copy(const std::string& sql, const char* what);
  model::Rejects last_copy_errors();
  void write_staging_file(const std::string& uri, const std::string& content);
  void remove_run_folder() noexcept;

  std::unique_ptr<PqConnection> connection_;
  RedshiftOptions options_;
  std::string load_id_;
  int slices_ = 1;
  uint64_t song_bytes_ = 0;
  uint64_t event_bytes_ = 0;
  Staging staging_ = Staging::kNone;
  std::unique_ptr<StagingParts> parts_;
  std::string parts_buffer_;
  std::string failed_copy_;  // a failed direct COPY, thrown by transform()
  TableCounts counts_;
  MatchCatalog match_catalog_ = MatchCatalog::kStagedSongs;  // what the last transform left the songs in
  bool in_transaction_ = false;
  bool wrote_files_ = false;
};

}  // namespace sparkify::warehouse
