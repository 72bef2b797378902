// The match diagnostics (quality/match_diagnostics.h) computed by the
// warehouse from its staging tables, in SQL both engines take.
#pragma once

#include "quality/match_diagnostics.h"
#include "warehouse/pq_connection.h"

namespace sparkify::warehouse {

quality::MatchDiagnostics run_match_diagnostics(PqConnection& connection);

}  // namespace sparkify::warehouse
