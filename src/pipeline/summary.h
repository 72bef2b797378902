// What a run did: rows per table, rejects, and time per phase, printed at
// the end of every run (and the seam for the machine-readable run report).
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "model/star.h"
#include "pipeline/progress.h"
#include "quality/check.h"
#include "quality/match_diagnostics.h"

namespace sparkify::pipeline {

struct RunSummary {
  struct Phase {
    std::string name;
    double seconds = 0;
  };
  struct Target {
    std::string name;
    model::TableCounts counts;
    bool committed = false;
    std::vector<quality::CheckResult> checks;  // --check: run on the new tables before the commit
  };

  uint64_t song_files = 0;
  uint64_t event_files = 0;
  uint64_t input_bytes = 0;
  uint64_t songs_read = 0;
  uint64_t events_read = 0;
  uint64_t events_outside_window = 0;  // a backfill: events read and left out (not rejects)
  uint64_t rejects = 0;
  std::string rejects_path;  // empty when there were none
  std::vector<Phase> phases;
  std::vector<Target> targets;
  // "succeeded", "failed" (nothing changed) or "incomplete" (committed in
  // part: see error); "running" until the run ends.
  std::string status = "running";
  std::string error;
  std::vector<std::string> notes;  // e.g. an earlier run's commit completed first
  std::optional<quality::MatchDiagnostics> match;  // why plays did or did not match a song
  // Where the run shows its phases and counts live (a display watches it);
  // null for nowhere. Not owned, not reported; it must outlive the run.
  Progress* progress = nullptr;

  void add_phase(std::string name, double seconds) { phases.push_back({std::move(name), seconds}); }
  double total_seconds() const;
};

// Times a phase from construction to stop() (or destruction), and shows it
// on the summary's progress, if any, with what `tally` counts; a phase that
// an exception ends is shown as failed. Phases do not nest.
class PhaseTimer {
 public:
  PhaseTimer(RunSummary& summary, std::string name, Tally tally = Tally::kTime)
      : summary_(summary),
        name_(std::move(name)),
        start_(std::chrono::steady_clock::now()),
        exceptions_at_start_(std::uncaught_exceptions()) {
    if (summary_.progress) summary_.progress->begin_phase(name_, tally);
  }
  ~PhaseTimer() { stop(); }
  void stop() {
    if (stopped_) return;
    stopped_ = true;
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    summary_.add_phase(name_, elapsed.count());
    if (summary_.progress) summary_.progress->end_phase(std::uncaught_exceptions() > exceptions_at_start_);
  }

 private:
  RunSummary& summary_;
  std::string name_;
  std::chrono::steady_clock::time_point start_;
  int exceptions_at_start_;
  bool stopped_ = false;
};

// The human-readable summary, several lines.
std::string format_summary(const RunSummary& summary);

// The same as one JSON object (the run report that --report writes).
std::string summary_json(const RunSummary& summary);

}  // namespace sparkify::pipeline
