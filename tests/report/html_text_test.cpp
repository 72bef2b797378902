// Text from the data, made safe for HTML and for JSON inside <script>.
#include "report/html_text.h"

#include <gtest/gtest.h>

namespace sparkify::report {
namespace {

TEST(HtmlEscape, MarkupAndQuotesBecomeReferences) {
  EXPECT_EQ(html_escape("</script><b a=\"x\" b='y'>&amp;"),
            "&lt;/script&gt;&lt;b a=&quot;x&quot; b=&#39;y&#39;&gt;&amp;amp;");
  EXPECT_EQ(html_escape("Beyoncé — 東京"), "Beyoncé — 東京");
}

TEST(HtmlEscape, IllFormedUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(html_escape("a\xFF"
                        "b\xC3"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

TEST(ScriptSafeJson, NothingCanEndTheScript) {
  std::string json = R"({"t":"</script><!-- & >","u":"a)"
                     "\xE2\x80\xA8"
                     "b"
                     "\xE2\x80\xA9"
                     R"("})";
  EXPECT_EQ(script_safe_json(json), R"({"t":"\u003c/script\u003e\u003c!-- \u0026 \u003e","u":"a\u2028b\u2029"})");
  EXPECT_EQ(script_safe_json(R"({"a":"é…"})"), R"({"a":"é…"})");
}

}  // namespace
}  // namespace sparkify::report
