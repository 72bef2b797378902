// Text made safe for the places the report's page puts it. Song titles,
// artists and locations come from the data and may hold anything: markup,
// quotes, "</script>", ill-formed UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace sparkify::report {

// `text` for an HTML element's content or a quoted attribute value: & < > "
// and ' as character references; ill-formed UTF-8 as U+FFFD (as
// model::json_quote replaces it).
std::string html_escape(std::string_view text);

// A JSON document made safe inside <script type="application/json">: every
// < > & as \u003c \u003e \u0026 (so "</script" or "<!--" cannot occur) and
// U+2028, U+2029 as \u2028, \u2029. Requires valid JSON, whose < > & can
// only be inside strings, where the escapes mean the same characters.
std::string script_safe_json(std::string_view json);

}  // namespace sparkify::report
