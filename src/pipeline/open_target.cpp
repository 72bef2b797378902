#include "pipeline/open_target.h"

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

}  // namespace sparkify::pipeline
