// The rejects file: one JSON object per rejected record, in source and line
// order, with its reason and raw text, so nothing is lost and a fixed copy
// can be loaded again.
//   {"source":"…","line":12,"field":"ts","reason":"…","record":"…"}
#pragma once

#include <string>

#include "model/json_text.h"
#include "model/reject.h"

namespace sparkify::pipeline {

// Throws UsageError naming `path` when a rejects file cannot be written
// there, or when something is there that this tool did not write (only its
// own rejects files are ever replaced or removed).
void check_rejects_path(const std::string& path);

// Sorts `rejects` by (source, line) and writes them to `path`, whole (a
// temporary file renamed into place). Throws IoError naming the path.
void write_rejects_file(model::Rejects& rejects, const std::string& path);

// Removes the rejects file at `path` when this tool wrote it (a clean run's
// stale file would mislead); leaves anything else.
void remove_rejects_file(const std::string& path);

// JSON string literals (model/json_text.h): a record holding invalid UTF-8
// is kept in the rejects file with those bytes replaced by U+FFFD.
using model::json_quote;

}  // namespace sparkify::pipeline
