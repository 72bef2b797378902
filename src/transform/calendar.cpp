#include "transform/calendar.h"

#include <chrono>

namespace sparkify::transform {

model::TimeRow time_row_of(int64_t epoch_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> instant{milliseconds{epoch_ms}};
  sys_days day = floor<days>(instant);
  year_month_day date{day};
  hh_mm_ss<milliseconds> clock{instant - day};
  weekday weekday_of{day};
  // ISO 8601: the week belongs to the year of its Thursday; week 1 holds
  // the year's first Thursday.
  unsigned iso_weekday = weekday_of.iso_encoding();  // Monday 1 … Sunday 7
  sys_days thursday = day - days{iso_weekday - 1} + days{3};
  year iso_year = year_month_day{thursday}.year();
  sys_days first_day{iso_year / January / 1};
  int iso_week = static_cast<int>((thursday - first_day).count() / 7 + 1);

  model::TimeRow row;
  row.start_time_ms = epoch_ms;
  row.hour = static_cast<int32_t>(clock.hours().count());
  row.day = static_cast<int32_t>(static_cast<unsigned>(date.day()));
  row.week = iso_week;
  row.month = static_cast<int32_t>(static_cast<unsigned>(date.month()));
  row.year = static_cast<int32_t>(date.year());
  row.weekday = static_cast<int32_t>(weekday_of.c_encoding());  // Sunday 0
  return row;
}

}  // namespace sparkify::transform
