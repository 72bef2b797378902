#include "pipeline/sink.h"

#include "model/error.h"

namespace sparkify::pipeline {

SourceFiles Sink::incremental_sources(const SourceFiles&, std::string&) {
  throw UsageError("--incremental is not possible for " + name() + ": it keeps no ledger of loaded files");
}

}  // namespace sparkify::pipeline
