// The rules that put a value in a category: the SQL they write and what
// they decide in memory.
#include "report/categories.h"

#include <gtest/gtest.h>

#include "report/star_rows.h"

namespace sparkify::report {
namespace {

TEST(Categories, BucketsAsSql) {
  std::vector<Bucket> buckets = {{2, "1"}, {6, "2-5"}, {0, "6+"}};
  EXPECT_EQ(bucket_case_sql("n", buckets), "CASE WHEN n < 2 THEN '1' WHEN n < 6 THEN '2-5' ELSE '6+' END");
}

TEST(Categories, BucketsInMemoryCompareExactly) {
  std::vector<Bucket> buckets = {{2, "1"}, {6, "2-5"}, {0, "6+"}};
  EXPECT_EQ(bucket_of(1, 1, buckets), "1");
  EXPECT_EQ(bucket_of(2, 1, buckets), "2-5");
  EXPECT_EQ(bucket_of(5, 1, buckets), "2-5");
  EXPECT_EQ(bucket_of(6, 1, buckets), "6+");
  // Milliseconds against buckets of seconds: 1.999 s is under 2 s.
  EXPECT_EQ(bucket_of(1999, 1000, buckets), "1");
  EXPECT_EQ(bucket_of(2000, 1000, buckets), "2-5");
}

TEST(Categories, SessionBucketsCoverEveryCount) {
  EXPECT_EQ(bucket_of(1, 1, session_count_buckets()), "1");
  EXPECT_EQ(bucket_of(50, 1, session_count_buckets()), "21-50");
  EXPECT_EQ(bucket_of(51, 1, session_count_buckets()), "51+");
  EXPECT_EQ(bucket_of(0, 1000, session_length_buckets()), "under 1 min");
  EXPECT_EQ(bucket_of(4 * 3600 * 1000, 1000, session_length_buckets()), "4 h or more");
}

TEST(Categories, TextRulesAsSql) {
  std::vector<TextRule> rules = {{"A", {"x/", "y"}}, {"B", {"z"}}};
  EXPECT_EQ(text_case_sql("ua", rules, "other"),
            "CASE WHEN ua LIKE '%x/%' OR ua LIKE '%y%' THEN 'A' WHEN ua LIKE '%z%' THEN 'B' ELSE 'other' END");
}

TEST(Categories, BrowsersAndSystemsOfRealUserAgents) {
  EXPECT_EQ(text_category_of(kChromeOnWindows, browser_rules(), kOtherCategory), "Chrome");
  EXPECT_EQ(text_category_of(kChromeOnWindows, os_rules(), kOtherCategory), "Windows");
  EXPECT_EQ(text_category_of(kFirefoxOnLinux, browser_rules(), kOtherCategory), "Firefox");
  EXPECT_EQ(text_category_of(kFirefoxOnLinux, os_rules(), kOtherCategory), "Linux");
  // An iPhone says "like Mac OS X"; Safari is named after the other browsers.
  EXPECT_EQ(text_category_of(kSafariOnIphone, browser_rules(), kOtherCategory), "Safari");
  EXPECT_EQ(text_category_of(kSafariOnIphone, os_rules(), kOtherCategory), "iOS");
  const char* internet_explorer = "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)";
  EXPECT_EQ(text_category_of(internet_explorer, browser_rules(), kOtherCategory), "Internet Explorer");
  const char* edge = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0";
  EXPECT_EQ(text_category_of(edge, browser_rules(), kOtherCategory), "Edge");
  const char* android = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36";
  EXPECT_EQ(text_category_of(android, os_rules(), kOtherCategory), "Android");
  EXPECT_EQ(text_category_of("curl/8.0", browser_rules(), kOtherCategory), "other");
}

}  // namespace
}  // namespace sparkify::report
