// The one place that turns a warehouse target into a Warehouse, for every
// command (etl, create-tables): a postgresql:// or postgres:// URI, or a
// libpq keyword=value string (what dwh.cfg's [CLUSTER] becomes), is
// PostgreSQL. config::check_target() has already refused anything else.
#pragma once

#include <memory>
#include <string>

#include "warehouse/postgres_warehouse.h"
#include "warehouse/warehouse.h"

namespace sparkify::warehouse {

// Connects to `target`. Throws WarehouseError naming host, port and
// database (never the password) when it cannot.
std::unique_ptr<Warehouse> open_warehouse(const std::string& target, const ConnectOptions& options);

}  // namespace sparkify::warehouse
