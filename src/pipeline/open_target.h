// The warehouse or the lake a command's flags name, for the commands that
// work on one outside a load (create-tables, check, report).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "config/settings.h"
#include "model/star.h"
#include "warehouse/warehouse.h"

namespace sparkify::pipeline {

// Throws UsageError when the flags name no warehouse or a bad one;
// WarehouseError when it cannot be reached.
std::unique_ptr<warehouse::Warehouse> open_target_warehouse(const config::Flags& flags);

// The star tables of the lake --lake names (a folder or s3://, reached as
// the etl command reaches S3), read back whole. Requires flags.lake. Throws
// UsageError when S3 access cannot be resolved, JobError as
// lake::read_star does.
model::StarSchema read_target_lake(const config::Flags& flags);

// The NextSong events with a user that lake has loaded, as an incremental
// lake keeps the count (lake_state.h); nullopt for a lake a full run wrote.
std::optional<int64_t> read_target_lake_next_song_events(const config::Flags& flags);

}  // namespace sparkify::pipeline
