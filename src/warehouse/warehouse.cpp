#include "warehouse/warehouse.h"

#include <stdexcept>

namespace sparkify::warehouse {

model::Rejects Warehouse::stage_from_sources(const SourceListing&) {
  throw std::logic_error(describe() + " does not read the sources itself");
}

void Warehouse::load_star(const transform::StarBuilder&) {
  throw std::logic_error(describe() + " builds its star tables with SQL only");
}

void Warehouse::unload(const std::string&, const std::string&) {
  throw std::logic_error(describe() + " cannot write the lake itself");
}

}  // namespace sparkify::warehouse
