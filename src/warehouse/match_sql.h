// The match diagnostics (quality/match_diagnostics.h) computed by the
// warehouse from its staged events, in SQL both engines take.
#pragma once

#include <string>

#include "quality/match_diagnostics.h"
#include "warehouse/pq_connection.h"

namespace sparkify::warehouse {

// The songs the staged plays are matched against: those staged (a full
// load), or every song kept, as the kept song matches (an incremental
// load, whose staging holds only the new songs).
enum class MatchCatalog { kStagedSongs, kKeptSongs };

quality::MatchDiagnostics run_match_diagnostics(PqConnection& connection, MatchCatalog catalog);

// `column` as a near miss compares it (quality::loose_text): ASCII letters
// in lower case, surrounding spaces removed. An index on it (PostgreSQL's
// kept song matches) finds a pair's near misses without reading every
// song.
std::string loose_text_sql(const std::string& column);

}  // namespace sparkify::warehouse
