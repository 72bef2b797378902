// The one place a backfill's window meets the files and their events.
#include "pipeline/backfill.h"

#include <gtest/gtest.h>

namespace sparkify::pipeline {
namespace {

int64_t day(const char* text) { return *model::parse_day(text); }

TEST(Backfill, AFileNamesItsDayOrItsFoldersADayOrAMonth) {
  auto named = days_named_by("2018/11/2018-11-05-events.json");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->first, day("2018-11-05"));
  EXPECT_EQ(named->last, day("2018-11-05"));
  // The file name's date wins over the folders'.
  EXPECT_EQ(days_named_by("2018/12/2018-11-05-events.json.gz")->first, day("2018-11-05"));
  EXPECT_EQ(days_named_by("events-2018-11-05.json")->first, day("2018-11-05"));
  named = days_named_by("2018/11/07/part-0001.json");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->first, day("2018-11-07"));
  EXPECT_EQ(named->last, day("2018-11-07"));
  named = days_named_by("/2018/02/events.json");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->first, day("2018-02-01"));
  EXPECT_EQ(named->last, day("2018-02-28"));
  for (const char* undated : {"events.json", "2018/events.json", "2018-11-31-events.json", "12018-11-05.json",
                              "2018-11-051.json", "2018/13/events.json", ""}) {
    EXPECT_FALSE(days_named_by(undated)) << undated;
  }
}

TEST(Backfill, AWindowReadsItsDaysAndTheUndatedFiles) {
  std::vector<io::FileEntry> files;
  for (const char* path : {"/data/2018/10/log_data/2018/11/2018-11-04-events.json",
                           "/data/2018/10/log_data/2018/11/2018-11-05-events.json",
                           "/data/2018/10/log_data/2018/11/2018-11-06-events.json", "/data/2018/10/log_data/late.json",
                           "/data/2018/10/log_data/2018/12/events.json"}) {
    files.push_back(io::FileEntry{path, 1, ""});
  }
  // The root's own folders (2018/10) name nothing.
  model::DayWindow window{day("2018-11-05"), day("2018-11-05")};
  auto chosen = event_files_in_window(files, "/data/2018/10/log_data", window);
  ASSERT_EQ(chosen.size(), 2u);
  EXPECT_EQ(chosen[0].path, files[1].path);
  EXPECT_EQ(chosen[1].path, files[3].path);
  model::DayWindow since{day("2018-11-06"), std::nullopt};
  EXPECT_EQ(event_files_in_window(files, "/data/2018/10/log_data/", since).size(), 3u);
}

TEST(Backfill, EventsOutsideTheWindowOrWithoutTsAreLeftOut) {
  model::DayWindow window{day("2018-11-05"), day("2018-11-05")};
  std::vector<model::EventRecord> events(5);
  events[0].ts = 1541376000000 - 1;  // the day before
  events[1].ts = 1541376000000;
  events[1].song = "first";
  events[2].ts = std::nullopt;
  events[3].ts = 1541462399999;
  events[3].song = "last";
  events[4].ts = 1541462400000;  // the day after
  EXPECT_EQ(drop_events_outside(events, window), 3u);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].song, "first");
  EXPECT_EQ(events[1].song, "last");
}

}  // namespace
}  // namespace sparkify::pipeline
