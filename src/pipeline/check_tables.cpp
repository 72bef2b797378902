#include "pipeline/check_tables.h"

#include "lake/lake_reader.h"
#include "model/error.h"
#include "pipeline/etl.h"
#include "pipeline/file_systems.h"
#include "pipeline/lake_state.h"
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
  config::Settings settings;
  config::resolve_s3_access(flags, config::FileSettings{}, settings);
  FileSystems file_systems(settings);
  const std::string& lake = *flags.lake;
  io::FileSystem& fs = *file_systems.for_path(lake);
  log << "checking lake " << lake << "\n";
  model::StarSchema star = lake::read_star(fs, lake);
  LakeState state(fs, io::join_path(lake, kLakeStateFolder));
  std::optional<int64_t> next_song_events;
  if (state.present()) next_song_events = state.read_next_song_events();
  return quality::run_star_checks(checks, star, next_song_events);
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
