#include "pipeline/summary.h"

#include <fmt/format.h>

#include "pipeline/rejects_file.h"

namespace sparkify::pipeline {

double RunSummary::total_seconds() const {
  double total = 0;
  for (const auto& phase : phases) total += phase.seconds;
  return total;
}

std::string format_summary(const RunSummary& summary) {
  std::string out;
  out += fmt::format("read     {} song files, {} event files, {:.1f} MB: {} songs, {} events{}\n",
                     summary.song_files, summary.event_files, summary.input_bytes / 1e6, summary.songs_read,
                     summary.events_read,
                     summary.events_outside_window > 0
                         ? fmt::format(" ({} outside the window, left out)", summary.events_outside_window)
                         : "");
  if (summary.rejects > 0) {
    out += fmt::format("rejects  {} (kept in {})\n", summary.rejects, summary.rejects_path);
  } else {
    out += "rejects  0\n";
  }
  for (const auto& note : summary.notes) out += fmt::format("note     {}\n", note);
  for (const auto& target : summary.targets) {
    const auto& counts = target.counts;
    out += fmt::format("{}\n", target.name);
    if (counts.staging_songs || counts.staging_events) {
      out += fmt::format("  staging_songs {:>12}   staging_events {:>12}\n", counts.staging_songs,
                         counts.staging_events);
    }
    out += fmt::format("  songplays {:>12}   users {:>8}   songs {:>10}   artists {:>9}   time {:>10}\n",
                       counts.songplays, counts.users, counts.songs, counts.artists, counts.time);
  }
  if (summary.match) out += quality::format_match(*summary.match);
  out += "time    ";
  for (const auto& phase : summary.phases) out += fmt::format(" {} {:.2f}s,", phase.name, phase.seconds);
  out += fmt::format(" total {:.2f}s\n", summary.total_seconds());
  return out;
}

std::string summary_json(const RunSummary& summary) {
  std::string out = fmt::format("{{\"status\":{},\"error\":{},\"notes\":[", json_quote(summary.status),
                                json_quote(summary.error));
  for (size_t idx = 0; idx < summary.notes.size(); ++idx) out += (idx ? "," : "") + json_quote(summary.notes[idx]);
  out += "],";
  out += fmt::format(
      "\"song_files\":{},\"event_files\":{},\"input_bytes\":{},\"songs_read\":{},\"events_read\":{},"
      "\"events_outside_window\":{},\"rejects\":{},\"rejects_path\":{},\"phases\":{{",
      summary.song_files, summary.event_files, summary.input_bytes, summary.songs_read, summary.events_read,
      summary.events_outside_window, summary.rejects, json_quote(summary.rejects_path));
  for (size_t idx = 0; idx < summary.phases.size(); ++idx) {
    out += fmt::format("{}{}:{:.6f}", idx ? "," : "", json_quote(summary.phases[idx].name),
                       summary.phases[idx].seconds);
  }
  out += "},\"targets\":[";
  for (size_t idx = 0; idx < summary.targets.size(); ++idx) {
    const auto& counts = summary.targets[idx].counts;
    out += fmt::format(
        "{}{{\"name\":{},\"committed\":{},\"staging_songs\":{},\"staging_events\":{},\"songplays\":{},\"users\":{},"
        "\"songs\":{},\"artists\":{},\"time\":{}}}",
        idx ? "," : "", json_quote(summary.targets[idx].name), summary.targets[idx].committed ? "true" : "false",
        counts.staging_songs, counts.staging_events,
        counts.songplays, counts.users, counts.songs, counts.artists, counts.time);
    if (!summary.targets[idx].checks.empty()) {
      out.pop_back();
      out += ",\"checks\":" + quality::results_json(summary.targets[idx].checks) + "}";
    }
  }
  out += "]";
  if (summary.match) out += ",\"match\":" + quality::match_json(*summary.match);
  out += fmt::format(",\"total_seconds\":{:.6f}}}\n", summary.total_seconds());
  return out;
}

}  // namespace sparkify::pipeline
