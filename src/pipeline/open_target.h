// The warehouse a command's flags name (--target or --config), connected,
// for the commands that work on one outside a load (create-tables, check).
#pragma once

#include <memory>

#include "config/settings.h"
#include "warehouse/warehouse.h"

namespace sparkify::pipeline {

// Throws UsageError when the flags name no warehouse or a bad one;
// WarehouseError when it cannot be reached.
std::unique_ptr<warehouse::Warehouse> open_target_warehouse(const config::Flags& flags);

}  // namespace sparkify::pipeline
