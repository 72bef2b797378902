#include "model/reject.h"

namespace sparkify::model {

std::string describe(const Reject& reject) {
  std::string out = reject.source + ":" + std::to_string(reject.line) + ": ";
  if (!reject.field.empty()) out += reject.field + ": ";
  out += reject.reason;
  return out;
}

}  // namespace sparkify::model
