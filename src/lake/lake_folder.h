// What a lake folder is before a run writes into it. The tool deletes only
// what it wrote, so it commits only into a folder that is one of its lakes
// (it carries the marker file), or that holds nothing yet, or that a
// version without the marker wrote (the five table folders, each with
// _SUCCESS and Parquet files only): that one is adopted.
#pragma once

#include <string>

#include "io/file_system.h"

namespace sparkify::lake {

// The marker file at the top of every lake, written with its first commit.
inline constexpr const char* kLakeMarker = "_sparkify_lake";
// The writer lock at the top of a lake on a local disk.
inline constexpr const char* kLakeLock = "_sparkify.lock";

enum class LakeFolderKind {
  kNew,     // missing, or holding no visible file
  kLake,    // carries the marker
  kLegacy,  // a lake written before the marker: table folders only
  kForeign, // anything else: never written into
};

// Looks at `root` without changing anything. `reason` gets, for kForeign,
// the first file that shows it is not a lake.
LakeFolderKind classify_lake_folder(io::FileSystem& fs, const std::string& root, std::string* reason = nullptr);

// The star tables a lake holds, in the order they are committed
// (model/catalog.h).
const std::vector<std::string>& lake_table_names();

}  // namespace sparkify::lake
