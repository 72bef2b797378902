// Text as a JSON string literal: one rule for every JSON the tool writes
// (the rejects file, the run report, the staging rows a warehouse loads).
#pragma once

#include <string>
#include <string_view>

namespace sparkify::model {

// `text` as a JSON string literal, quotes included, always valid UTF-8:
// each ill-formed part of `text` (a truncated sequence, an overlong form, a
// lone continuation byte, an encoded surrogate) becomes one U+FFFD, written
// as its UTF-8 bytes, one for each maximal subpart as Unicode recommends
// (section 3.9) and as WHATWG decoders do.
std::string json_quote(std::string_view text);
// As json_quote(), appended to `out`.
void append_json_quoted(std::string_view text, std::string& out);
// `text` as it is when it is well-formed UTF-8; else each ill-formed part
// replaced as json_quote() replaces it (for text that is not JSON: HTML).
std::string valid_utf8(std::string_view text);

}  // namespace sparkify::model
