// The rejects file: one JSON object per rejected record, in source and line
// order, with its reason and raw text, so nothing is lost and a fixed copy
// can be loaded again.
//   {"source":"…","line":12,"field":"ts","reason":"…","record":"…"}
#pragma once

#include <string>

#include "model/reject.h"

namespace sparkify::pipeline {

// Sorts `rejects` by (source, line) and writes them to `path` (replacing
// it). Throws IoError naming the path when it cannot be written.
void write_rejects_file(model::Rejects& rejects, const std::string& path);

// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

}  // namespace sparkify::pipeline
