#include "model/catalog.h"

#include <stdexcept>

namespace sparkify::model {

const std::vector<StarTable>& star_tables() {
  static const std::vector<StarTable> tables = {
      {"songplays", {"year", "month"}}, {"users", {}}, {"songs", {"year", "artist_id"}},
      {"artists", {}},                  {"time", {"year", "month"}}};
  return tables;
}

std::vector<std::string> star_table_names() {
  std::vector<std::string> names;
  for (const auto& table : star_tables()) names.push_back(table.name);
  return names;
}

const std::vector<std::string>& partition_columns_of(const std::string& name) {
  for (const auto& table : star_tables()) {
    if (table.name == name) return table.partition_columns;
  }
  throw std::logic_error("no star table " + name);
}

const std::vector<std::string>& staging_table_names() {
  static const std::vector<std::string> names = {"staging_events", "staging_songs"};
  return names;
}

}  // namespace sparkify::model
