#include "warehouse/open_warehouse.h"

#include "warehouse/postgres_warehouse.h"

namespace sparkify::warehouse {

std::unique_ptr<Warehouse> open_warehouse(const WarehouseSpec& spec) {
  const char* server = spec.kind == model::WarehouseKind::kRedshift ? "Redshift" : "PostgreSQL";
  auto connection = spec.rehearsal
                        ? std::make_unique<PqConnection>(server, describe_conninfo(spec.conninfo), *spec.rehearsal)
                        : std::make_unique<PqConnection>(server, spec.conninfo, spec.connect);
  if (spec.kind == model::WarehouseKind::kRedshift) {
    return std::make_unique<RedshiftWarehouse>(std::move(connection), spec.redshift);
  }
  return std::make_unique<PostgresWarehouse>(std::move(connection));
}

}  // namespace sparkify::warehouse
