// Hive-style partition folders: `name=value`, no zero padding, NULL as
// __HIVE_DEFAULT_PARTITION__, as Hive, Spark and DuckDB write them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/partition_value.h"

namespace sparkify::lake {

inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

// Escapes a partition value as Hive does; the rule lives in model/ because
// the song reader applies it too (model/partition_value.h).
using model::escape_partition_value;

// The inverse: %XX → the byte; anything else unchanged.
std::string unescape_partition_value(std::string_view text);

using PartitionValues = std::vector<std::pair<std::string, std::optional<std::string>>>;

// "year=2018/month=11" for {{"year","2018"},{"month","11"}}.
std::string partition_path(const PartitionValues& values);

}  // namespace sparkify::lake
