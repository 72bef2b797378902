#include "pipeline/sink.h"

#include "model/error.h"

namespace sparkify::pipeline {

IncrementalSources Sink::incremental_sources(const SourceFiles&, const std::optional<Backfill>&) {
  throw UsageError("--incremental is not possible for " + name() + ": it keeps no ledger of loaded files");
}

}  // namespace sparkify::pipeline
