#include "warehouse/read_snapshot.h"

#include "model/error.h"

namespace sparkify::warehouse {

std::vector<std::vector<TextRow>> run_read_only(PqConnection& connection, std::string_view begin_sql,
                                                const std::vector<NamedQuery>& queries) {
  std::vector<std::vector<TextRow>> results;
  try {
    connection.run(begin_sql, "begin a read-only transaction");
    for (const auto& query : queries) results.push_back(connection.query(query.sql, {}, query.name.c_str()));
  } catch (const WarehouseError&) {
    connection.rollback();
    throw;
  }
  connection.rollback();
  return results;
}

}  // namespace sparkify::warehouse
