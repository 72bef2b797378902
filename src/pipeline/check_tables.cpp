#include "pipeline/check_tables.h"

#include "model/error.h"
#include "pipeline/etl.h"
#include "pipeline/file_systems.h"
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

}  // namespace

std::vector<quality::CheckResult> check_tables(const config::Flags& flags, std::ostream& log) {
  std::vector<quality::Check> checks = quality::checks_to_run(flags.checks_path);
  return check_warehouse(flags, checks, log);
}

}  // namespace sparkify::pipeline
