// The tables the tool builds, in one list that the lake, the CLI and the
// tests read: the star schema (in the order a lake commits it) with each
// table's partition columns in the lake, and the warehouse's staging
// tables. The SQL of each warehouse spells its tables out as SQL, one
// statement per constant; its tests check it against this list.
#pragma once

#include <string>
#include <vector>

namespace sparkify::model {

struct StarTable {
  std::string name;
  std::vector<std::string> partition_columns;  // hive folders in the lake, outermost first
};

// songplays, users, songs, artists, time.
const std::vector<StarTable>& star_tables();
std::vector<std::string> star_table_names();

// The partition columns of star table `name`; throws std::logic_error for a
// name that is not one.
const std::vector<std::string>& partition_columns_of(const std::string& name);

// staging_events, staging_songs: the raw records, in the warehouse only.
const std::vector<std::string>& staging_table_names();

}  // namespace sparkify::model
