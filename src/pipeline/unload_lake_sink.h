// A Sink that has the warehouse write the lake (Redshift's UNLOAD … FORMAT
// AS PARQUET PARTITION BY): with a Redshift target and an s3:// lake, the
// star schema the cluster built is written by its slices straight to S3,
// and never passes through this machine. Each table goes to the lake's
// staging folder from inside the load's transaction (so it is the load's
// own rows), and is committed as LakeSink commits (lake_transaction.h):
// the warehouse's commit decides, then each table is put in place with its
// _SUCCESS.
#pragma once

#include <memory>
#include <string>

#include "io/file_system.h"
#include "pipeline/sink.h"
#include "warehouse/warehouse.h"

namespace sparkify::lake {
class LakeTransaction;
}

namespace sparkify::pipeline {

class UnloadLakeSink final : public Sink {
 public:
  // `warehouse` is the run's warehouse sink's, which is prepared first.
  UnloadLakeSink(std::shared_ptr<io::FileSystem> fs, std::string root,
                 std::shared_ptr<warehouse::Warehouse> warehouse);
  ~UnloadLakeSink() override;
  std::string name() const override;
  void begin(const LoadDescription& load) override;
  std::string recovery_note() const override;
  SinkInput input() const override { return SinkInput::kSourceLocations; }
  void write_songs(const std::vector<model::SongRecord>&) override {}
  void end_songs() override {}
  void write_events(const std::vector<model::EventRecord>&) override {}
  void end_events() override {}
  model::TableCounts prepare(RunSummary& summary) override;
  // The lake holds the warehouse's rows, which the warehouse checks.
  std::vector<quality::CheckResult> check(const std::vector<quality::Check>&) override { return {}; }
  void intend_commit(const LoadTicket& ticket) override;
  void commit(const LoadTicket& ticket, RunSummary& summary) override;
  void abort() noexcept override;
  void abort_undecided() noexcept override;
  void rehearse(const LoadDescription& load, std::ostream& out) override;

 private:
  std::shared_ptr<io::FileSystem> fs_;
  std::string root_;
  std::shared_ptr<warehouse::Warehouse> warehouse_;
  std::unique_ptr<lake::LakeTransaction> transaction_;
};

}  // namespace sparkify::pipeline
