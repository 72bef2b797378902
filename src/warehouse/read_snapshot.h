// Read-only queries on a warehouse session, outside any load (the report).
#pragma once

#include <string_view>
#include <vector>

#include "warehouse/pq_connection.h"
#include "warehouse/warehouse.h"

namespace sparkify::warehouse {

// Opens a read-only transaction with `begin_sql` (the dialect's), runs each
// query, and rolls back (nothing was changed); returns each query's rows.
// Throws WarehouseError naming the server and the failing query's name, the
// transaction rolled back.
std::vector<std::vector<TextRow>> run_read_only(PqConnection& connection, std::string_view begin_sql,
                                                const std::vector<NamedQuery>& queries);

}  // namespace sparkify::warehouse
