// The rejects file: one JSON object per rejected record, in source and line
// order, with its reason and raw text, so nothing is lost and a fixed copy
// can be loaded again.
//   {"source":"…","line":12,"field":"ts","reason":"…","record":"…"}
#pragma once

#include <string>

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

// `text` as a JSON string literal, quotes included, always valid UTF-8:
// each ill-formed part of `text` (a truncated sequence, an overlong form, a
// lone continuation byte, an encoded surrogate) becomes one U+FFFD, written
// as its UTF-8 bytes, one for each maximal subpart as Unicode recommends
// (section 3.9) and as WHATWG decoders do. A record holding invalid UTF-8 is
// therefore kept in the rejects file with those bytes replaced.
std::string json_quote(std::string_view text);

}  // namespace sparkify::pipeline
