// A Sink that builds the star schema in process (transform::StarBuilder)
// and writes it as a hive-partitioned Parquet lake (docs/schema.md):
//   songplays/year=Y/month=M/, songs/year=Y/artist_id=A/, time/year=Y/month=M/,
//   users/, artists/ — each with part-00000.parquet files and _SUCCESS.
// With --incremental it keeps a ledger and state beside them
// (lake_state.h) and rewrites only what new files touch.
#pragma once

#include <memory>
#include <string>

#include "io/file_system.h"
#include "lake/parquet/writer.h"
#include "pipeline/sink.h"

namespace sparkify::pipeline {

struct LakeOptions {
  std::string root;  // folder or s3:// prefix
  lake::parquet::WriterOptions parquet;
  size_t threads = 0;  // tables and partitions written at once; 0: one per core
};

class LakeSink final : public Sink {
 public:
  LakeSink(std::shared_ptr<io::FileSystem> fs, LakeOptions options);
  ~LakeSink() override;
  std::string name() const override;
  void begin(const LoadDescription& load) override;
  std::string recovery_note() const override;
  IncrementalSources incremental_sources(const SourceFiles& files, const std::optional<Backfill>& backfill) override;
  void events_left_out(const std::vector<std::string>& sources) override;
  void write_songs(const std::vector<model::SongRecord>& songs) override;
  void take_songs(std::vector<model::SongRecord>&& songs) override;
  void end_songs() override;
  void write_events(const std::vector<model::EventRecord>& events) override;
  size_t event_shards(size_t readers) override;
  void write_event_shard(size_t shard, const std::vector<model::EventRecord>& events) override;
  void end_events() override;
  model::TableCounts prepare(RunSummary& summary) override;
  std::vector<quality::CheckResult> check(const std::vector<quality::Check>& checks) override;
  std::optional<quality::MatchDiagnostics> match_diagnostics() override;
  void intend_commit(const LoadTicket& ticket) override;
  void commit(const LoadTicket& ticket, RunSummary& summary) override;
  void abort() noexcept override;
  void abort_undecided() noexcept override;
  void rehearse(const LoadDescription& load, std::ostream& out) override;

 private:
  struct State;
  std::string state_dir() const;
  void merge_kept_state();
  void match_kept_songs();
  void write_kept_state();

  std::shared_ptr<io::FileSystem> fs_;
  LakeOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace sparkify::pipeline
