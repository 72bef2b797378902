// Which server a warehouse target is. Decided once, by config (the form of
// the target, or dwh.cfg's [IAM_ROLE]); warehouse/open_warehouse.h builds it.
#pragma once

namespace sparkify::model {

enum class WarehouseKind { kPostgres, kRedshift };

}  // namespace sparkify::model
