// Values spelled into SQL text, the same way for both engines.
#pragma once

#include <string>

namespace sparkify::warehouse {

// 'text' as a string literal, quotes doubled.
std::string quote_literal(const std::string& text);

// The current time, UTC, as "YYYY-MM-DD HH:MM:SS" (a TIMESTAMP's text):
// the tool sends its own clock, as neither engine's clock function is
// spelled the same on the other.
std::string utc_now_text();

}  // namespace sparkify::warehouse
