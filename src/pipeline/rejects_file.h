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

// `text` as a JSON string literal, quotes included, always valid UTF-8:
// each ill-formed part of `text` (a truncated sequence, an overlong form, a
// lone continuation byte, an encoded surrogate) becomes one U+FFFD, written
// as its UTF-8 bytes, one for each maximal subpart as Unicode recommends
// (section 3.9) and as WHATWG decoders do. A record holding invalid UTF-8 is
// therefore kept in the rejects file with those bytes replaced.
std::string json_quote(std::string_view text);

}  // namespace sparkify::pipeline
