#include "pipeline/check_tables.h"

#include "model/error.h"
#include "pipeline/etl.h"
#include "quality/checks_file.h"
#include "quality/star_checks.h"
#include "pipeline/open_target.h"

namespace sparkify::pipeline {
namespace {

std::vector<quality::CheckResult> check_warehouse(const config::Flags& flags,
                                                  const std::vector<quality::Check>& checks, std::ostream& log) {
  auto warehouse = open_target_warehouse(flags);
  log << "checking warehouse " << warehouse->describe() << "\n";
  return warehouse->run_checks(checks);
}

// A lake keeps no record of the events it was built from: the check of
// plays against events is skipped there.
std::vector<quality::CheckResult> check_lake(const config::Flags& flags, const std::vector<quality::Check>& checks,
                                             std::ostream& log) {
  log << "checking lake " << *flags.lake << "\n";
  return quality::run_star_checks(checks, read_target_lake(flags), std::nullopt);
}

}  // namespace

std::vector<quality::CheckResult> check_tables(const config::Flags& flags, std::ostream& log) {
  std::vector<quality::Check> checks = quality::checks_to_run(flags.checks_path);
  if (flags.lake) {
    if (flags.target || flags.config_path) throw UsageError("check either a lake (--lake) or a warehouse, not both at once");
    return check_lake(flags, checks, log);
  }
  return check_warehouse(flags, checks, log);
}

}  // namespace sparkify::pipeline
