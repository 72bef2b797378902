#include "warehouse/table_counts.h"

namespace sparkify::warehouse {
namespace {

constexpr const char* kCountTables =
    "SELECT (SELECT COUNT(*) FROM staging_songs), (SELECT COUNT(*) FROM staging_events), "
    "(SELECT COUNT(*) FROM songplays), (SELECT COUNT(*) FROM users), "
    "(SELECT COUNT(*) FROM songs), (SELECT COUNT(*) FROM artists), (SELECT COUNT(*) FROM time)";

constexpr const char* kCountStaging =
    "SELECT (SELECT COUNT(*) FROM staging_songs), (SELECT COUNT(*) FROM staging_events)";

}  // namespace

model::TableCounts count_staging(PqConnection& connection) {
  auto rows = connection.query(kCountStaging, {}, "count staging rows");
  if (rows.empty()) return {};
  model::TableCounts counts;
  counts.staging_songs = std::stoll(rows[0][0].value_or("0"));
  counts.staging_events = std::stoll(rows[0][1].value_or("0"));
  return counts;
}

model::TableCounts count_tables(PqConnection& connection) {
  auto rows = connection.query(kCountTables, {}, "count rows");
  if (rows.empty()) return {};
  auto count = [&](size_t column) { return std::stoll(rows[0][column].value_or("0")); };
  return model::TableCounts{count(0), count(1), count(2), count(3), count(4), count(5), count(6)};
}

}  // namespace sparkify::warehouse
