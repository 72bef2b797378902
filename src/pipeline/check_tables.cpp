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

// The check of plays against the events loaded needs the count an
// incremental lake keeps (lake_state.h); a lake a full run wrote keeps no
// record of its events, and the check is skipped there.
std::vector<quality::CheckResult> check_lake(const config::Flags& flags, const std::vector<quality::Check>& checks,
                                             std::ostream& log) {
  log << "checking lake " << *flags.lake << "\n";
  return quality::run_star_checks(checks, read_target_lake(flags), read_target_lake_next_song_events(flags));
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
