// What a run did: rows per table, rejects, and time per phase, printed at
// the end of every run (and the seam for the machine-readable run report).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/star.h"
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
  std::vector<std::string> notes;
  std::optional<quality::MatchDiagnostics> match;  // why plays did or did not match a song  // e.g. an earlier run's commit completed first

  void add_phase(std::string name, double seconds) { phases.push_back({std::move(name), seconds}); }
  double total_seconds() const;
};

// Times a phase from construction to stop() (or destruction).
class PhaseTimer {
 public:
  PhaseTimer(RunSummary& summary, std::string name)
      : summary_(summary), name_(std::move(name)), start_(std::chrono::steady_clock::now()) {}
  ~PhaseTimer() { stop(); }
  void stop() {
    if (stopped_) return;
    stopped_ = true;
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    summary_.add_phase(name_, elapsed.count());
  }

 private:
  RunSummary& summary_;
  std::string name_;
  std::chrono::steady_clock::time_point start_;
  bool stopped_ = false;
};

// The human-readable summary, several lines.
std::string format_summary(const RunSummary& summary);

// The same as one JSON object (the run report that --report writes).
std::string summary_json(const RunSummary& summary);

}  // namespace sparkify::pipeline
