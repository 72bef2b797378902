#include "model/day_window.h"

#include <chrono>
#include <cstdio>

namespace sparkify::model {

int64_t day_of_ts(int64_t ts_ms) {
  int64_t day = ts_ms / kMillisPerDay;
  return ts_ms % kMillisPerDay < 0 ? day - 1 : day;
}

std::optional<int64_t> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t from, size_t length) -> std::optional<int> {
    int value = 0;
    for (size_t idx = from; idx < from + length; ++idx) {
      if (text[idx] < '0' || text[idx] > '9') return std::nullopt;
      value = value * 10 + (text[idx] - '0');
    }
    return value;
  };
  auto year = number(0, 4);
  auto month = number(5, 2);
  auto day = number(8, 2);
  if (!year || !month || !day) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                                   std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

std::string day_text(int64_t day) {
  std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

bool DayWindow::contains_day(int64_t day) const {
  return (!first_day || day >= *first_day) && (!last_day || day <= *last_day);
}

bool DayWindow::contains_ts(const std::optional<int64_t>& ts_ms) const {
  return ts_ms && contains_day(day_of_ts(*ts_ms));
}

bool DayWindow::overlaps(int64_t first, int64_t last) const {
  return (!first_day || last >= *first_day) && (!last_day || first <= *last_day);
}

std::optional<int64_t> DayWindow::start_ms() const {
  if (!first_day) return std::nullopt;
  return *first_day * kMillisPerDay;
}

std::optional<int64_t> DayWindow::end_ms() const {
  if (!last_day) return std::nullopt;
  return (*last_day + 1) * kMillisPerDay;
}

std::string DayWindow::describe() const {
  if (first_day && last_day) {
    return *first_day == *last_day ? day_text(*first_day) + " (UTC)"
                                   : day_text(*first_day) + " to " + day_text(*last_day) + " (UTC)";
  }
  if (first_day) return "from " + day_text(*first_day) + " (UTC)";
  if (last_day) return "until " + day_text(*last_day) + " (UTC)";
  return "every day";
}

}  // namespace sparkify::model
