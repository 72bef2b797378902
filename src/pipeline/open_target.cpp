#include "pipeline/open_target.h"

#include "lake/lake_reader.h"
#include "pipeline/file_systems.h"
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

model::StarSchema read_target_lake(const config::Flags& flags) {
  config::Settings settings;
  config::resolve_s3_access(flags, config::FileSettings{}, settings);
  FileSystems file_systems(settings);
  return lake::read_star(*file_systems.for_path(*flags.lake), *flags.lake);
}

}  // namespace sparkify::pipeline
