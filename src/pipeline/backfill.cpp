#include "pipeline/backfill.h"

#include <algorithm>
#include <chrono>

namespace sparkify::pipeline {
namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The first YYYY-MM-DD in `name` that is a real date, not part of a longer
// run of digits.
std::optional<int64_t> date_in_name(std::string_view name) {
  for (size_t at = 0; at + 10 <= name.size(); ++at) {
    if (at > 0 && name[at - 1] >= '0' && name[at - 1] <= '9') continue;
    if (at + 10 < name.size() && name[at + 10] >= '0' && name[at + 10] <= '9') continue;
    if (auto day = model::parse_day(name.substr(at, 10))) return day;
  }
  return std::nullopt;
}

// The folders YYYY/MM[/DD] among `folders`, innermost match first.
std::optional<NamedDays> days_of_folders(const std::vector<std::string_view>& folders) {
  for (size_t idx = folders.size(); idx-- > 0;) {
    if (idx + 1 >= folders.size() || folders[idx].size() != 4 || !all_digits(folders[idx])) continue;
    if (folders[idx + 1].size() != 2 || !all_digits(folders[idx + 1])) continue;
    std::string month = std::string(folders[idx]) + "-" + std::string(folders[idx + 1]);
    if (idx + 2 < folders.size() && folders[idx + 2].size() == 2 && all_digits(folders[idx + 2])) {
      if (auto day = model::parse_day(month + "-" + std::string(folders[idx + 2]))) return NamedDays{*day, *day};
    }
    auto first = model::parse_day(month + "-01");
    if (!first) continue;
    using namespace std::chrono;
    year_month_day start{sys_days{days{*first}}};
    int64_t last = sys_days{year_month_day_last{start.year(), month_day_last{start.month()}}}.time_since_epoch().count();
    return NamedDays{*first, last};
  }
  return std::nullopt;
}

}  // namespace

std::optional<NamedDays> days_named_by(std::string_view relative_path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= relative_path.size()) {
    size_t end = relative_path.find('/', start);
    if (end == std::string_view::npos) end = relative_path.size();
    if (end > start) parts.push_back(relative_path.substr(start, end - start));
    start = end + 1;
  }
  if (parts.empty()) return std::nullopt;
  if (auto day = date_in_name(parts.back())) return NamedDays{*day, *day};
  parts.pop_back();
  return days_of_folders(parts);
}

std::vector<io::FileEntry> event_files_in_window(const std::vector<io::FileEntry>& files, const std::string& root,
                                                 const model::DayWindow& window) {
  std::vector<io::FileEntry> chosen;
  for (const auto& file : files) {
    // Only the part below the root names dates: the root's own folders
    // (/data/2018/…) say nothing of one file.
    std::string_view relative = file.path;
    if (relative.rfind(root, 0) == 0) relative.remove_prefix(root.size());
    auto named = days_named_by(relative);
    if (!named || window.overlaps(named->first, named->last)) chosen.push_back(file);
  }
  return chosen;
}

size_t drop_events_outside(std::vector<model::EventRecord>& events, const model::DayWindow& window) {
  auto kept_end = std::remove_if(events.begin(), events.end(),
                                 [&](const model::EventRecord& event) { return !window.contains_ts(event.ts); });
  size_t dropped = static_cast<size_t>(events.end() - kept_end);
  events.erase(kept_end, events.end());
  return dropped;
}

std::string describe_backfill(const model::DayWindow& window) {
  return "backfill of " + window.describe() +
         ": the event files dated inside the window or not dated are read again, events whose ts lies outside it "
         "are left out, and the window's plays and user days are replaced";
}

}  // namespace sparkify::pipeline
