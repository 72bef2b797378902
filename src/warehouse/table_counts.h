// Counts the staging and star tables of a warehouse, in SQL both engines
// take.
#pragma once

#include "model/star.h"
#include "warehouse/pq_connection.h"

namespace sparkify::warehouse {

// Zeros in a rehearsal.
model::TableCounts count_tables(PqConnection& connection);

// The staging tables alone (the star's counts left 0).
model::TableCounts count_staging(PqConnection& connection);

}  // namespace sparkify::warehouse
