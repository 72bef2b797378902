#include "warehouse/open_warehouse.h"

namespace sparkify::warehouse {

std::unique_ptr<Warehouse> open_warehouse(const std::string& target, const ConnectOptions& options) {
  return std::make_unique<PostgresWarehouse>(target, options);
}

}  // namespace sparkify::warehouse
