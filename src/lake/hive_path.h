// Hive-style partition folders: `name=value`, no zero padding, NULL as
// __HIVE_DEFAULT_PARTITION__, as Hive, Spark and DuckDB write them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sparkify::lake {

inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

// Escapes a partition value as Hive's FileUtils.escapePathName does: each
// of  " # % ' * / : = ? \ { [ ] ^, DEL and the control characters becomes
// %XX (upper-case hex). Also the space, which some object stores and tools
// mangle. Non-ASCII text stays UTF-8, as Hive and Spark leave it: their
// readers decode %XX one byte per character, which would break multi-byte
// characters.
std::string escape_partition_value(std::string_view value);

// The inverse: %XX → the byte; anything else unchanged.
std::string unescape_partition_value(std::string_view text);

using PartitionValues = std::vector<std::pair<std::string, std::optional<std::string>>>;

// "year=2018/month=11" for {{"year","2018"},{"month","11"}}.
std::string partition_path(const PartitionValues& values);

}  // namespace sparkify::lake
