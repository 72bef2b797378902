#include "model/catalog.h"

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

const std::vector<std::string>& staging_table_names() {
  static const std::vector<std::string> names = {"staging_events", "staging_songs"};
  return names;
}

}  // namespace sparkify::model
