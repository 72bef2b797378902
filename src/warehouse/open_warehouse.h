// The one place that turns a warehouse target into a Warehouse, for every
// command (etl, create-tables): PostgreSQL or Redshift, as config decided
// (model::WarehouseKind), connected, or as a rehearsal that connects to
// nothing and prints each statement (--dry-run).
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "model/warehouse_kind.h"
#include "warehouse/connect_options.h"
#include "warehouse/redshift_warehouse.h"
#include "warehouse/warehouse.h"

namespace sparkify::warehouse {

struct WarehouseSpec {
  model::WarehouseKind kind = model::WarehouseKind::kPostgres;
  std::string conninfo;    // libpq connection string or URI
  ConnectOptions connect;
  RedshiftOptions redshift;  // for Redshift
  // A dry run: the statements go here, and nothing is connected to.
  std::ostream* rehearsal = nullptr;
};

// Connects as `spec` says. Throws WarehouseError naming host, port and
// database (never the password) when it cannot.
std::unique_ptr<Warehouse> open_warehouse(const WarehouseSpec& spec);

}  // namespace sparkify::warehouse
