// The match diagnostics (quality/match_diagnostics.h) computed by the
// warehouse from its staging tables, in SQL both engines take.
#pragma once

#include "quality/match_diagnostics.h"
#include "warehouse/pq_connection.h"

namespace sparkify::warehouse {

// The songs the staged plays are matched against: those staged (a full
// load), or every song kept (an incremental load, whose staging holds only
// the new songs).
enum class MatchCatalog { kStagedSongs, kKeptSongs };

quality::MatchDiagnostics run_match_diagnostics(PqConnection& connection, MatchCatalog catalog);

}  // namespace sparkify::warehouse
