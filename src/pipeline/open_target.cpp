#include "pipeline/open_target.h"

#include "lake/lake_reader.h"
#include "pipeline/file_systems.h"
#include "pipeline/lake_state.h"
#include "warehouse/open_warehouse.h"

namespace sparkify::pipeline {

std::unique_ptr<warehouse::Warehouse> open_target_warehouse(const config::Flags& flags) {
  config::WarehouseTarget target = config::resolve_target(flags);
  config::Timeouts timeouts = config::resolve_timeouts(flags);
  warehouse::WarehouseSpec spec;
  spec.kind = target.kind;
  spec.conninfo = target.conninfo;
  spec.connect = {timeouts.connect_s, timeouts.statement_s};
  return warehouse::open_warehouse(spec);
}

namespace {

// The file system of the lake --lake names, reached as the etl command
// reaches S3.
std::shared_ptr<io::FileSystem> lake_file_system(const config::Flags& flags) {
  config::Settings settings;
  config::resolve_s3_access(flags, config::FileSettings{}, settings);
  FileSystems file_systems(settings);
  return file_systems.for_path(*flags.lake);
}

}  // namespace

model::StarSchema read_target_lake(const config::Flags& flags) {
  return lake::read_star(*lake_file_system(flags), *flags.lake);
}

std::optional<int64_t> read_target_lake_next_song_events(const config::Flags& flags) {
  LakeState state(*lake_file_system(flags), io::join_path(*flags.lake, kLakeStateFolder));
  if (!state.present()) return std::nullopt;
  return state.read_next_song_total();
}

}  // namespace sparkify::pipeline
