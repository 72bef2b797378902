// Live progress of a run, for a display on another thread: the phase under
// way (its name, since when, what it does now) and counters of what the
// phases that list and read the sources have done so far.
//
// Writers are the pipeline's threads: a phase begins and ends on the thread
// that drives the run (PhaseTimer in summary.h), the source counters grow on
// the reading threads once per file or chunk of a file (relaxed atomic adds:
// no lock, nothing per row). snapshot() may run at any time on any thread;
// each count in it is exact, but they are not read at one instant.
//
// Progress draws nothing: a listener (the CLI's display) is told when a
// phase begins and ends, and samples snapshot() on a timer of its own.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace sparkify::pipeline {

// What a phase counts, besides its time.
enum class Tally {
  kTime,     // nothing (build, write, commit, …): name and elapsed time
  kListing,  // the files found so far, and keys listed on S3
  kSongs,    // the song files read: Progress::songs
  kEvents,   // the event files read: Progress::events
};

// One source's files as they are read. The totals are set before the first
// file is read; the rest grow as files are parsed.
struct SourceCounters {
  std::atomic<uint64_t> files_total{0};
  std::atomic<uint64_t> bytes_total{0};  // as stored (before gunzip)
  std::atomic<uint64_t> files_done{0};
  std::atomic<uint64_t> bytes_done{0};
  std::atomic<uint64_t> rows{0};  // records parsed
  std::atomic<uint64_t> rejects{0};

  void set_totals(uint64_t files, uint64_t bytes) noexcept;
  // Records and rejects of a file, or of a chunk of one.
  void add_rows(uint64_t records, uint64_t rejected) noexcept {
    rows.fetch_add(records, std::memory_order_relaxed);
    rejects.fetch_add(rejected, std::memory_order_relaxed);
  }
  // A whole file read and parsed (`bytes` as stored).
  void add_file(uint64_t bytes) noexcept {
    bytes_done.fetch_add(bytes, std::memory_order_relaxed);
    files_done.fetch_add(1, std::memory_order_relaxed);
  }
};

// What the run's transfers did so far (S3). Each count only grows.
struct TransferActivity {
  uint64_t keys_listed = 0;
  uint64_t retries = 0;
};

// The state of a run at one moment.
struct ProgressSnapshot {
  enum class State {
    kIdle,     // no phase has begun yet
    kRunning,  // `phase` is under way
    kEnded,    // `phase` ended (and no other began since)
    kFailed,   // `phase` ended by an error
  };
  State state = State::kIdle;
  std::string phase;  // "list", "songs", "events", "lake write", …
  std::string step;   // what the running phase does now, when it says ("" else)
  Tally tally = Tally::kTime;
  double seconds = 0;  // since the phase began, up to its end once ended
  // kSongs, kEvents: that source's counters. kListing: files and bytes
  // found so far (files_done, bytes_done; no totals).
  uint64_t files_done = 0;
  uint64_t files_total = 0;
  uint64_t bytes_done = 0;
  uint64_t bytes_total = 0;
  uint64_t rows = 0;
  uint64_t rejects = 0;
  uint64_t keys_listed = 0;     // kListing: S3 keys listed since the phase began
  uint64_t retries = 0;         // S3 requests retried since the run began
  uint64_t retries_before = 0;  // of those, before the phase began
};

// Told, on the driving thread, when a phase begins and ends; it must not
// throw. It may call Progress::snapshot().
class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  virtual void phase_began(const ProgressSnapshot& now) = 0;
  virtual void phase_ended(const ProgressSnapshot& at_end) = 0;
};

class Progress {
 public:
  using Clock = std::chrono::steady_clock;

  SourceCounters songs;
  SourceCounters events;
  // Files and bytes found by the listing so far.
  std::atomic<uint64_t> files_listed{0};
  std::atomic<uint64_t> bytes_listed{0};

  // At most one listener; nullptr for none. Set it before the run begins.
  void set_listener(ProgressListener* listener);
  // Where the run's S3 activity is read (a function of the run's file
  // systems); nullptr for none. Thread-safe; the function must stay valid
  // until it is replaced.
  void set_activity_source(std::function<TransferActivity()> source);

  // One phase at a time, on the driving thread: begin_phase() ends none,
  // end_phase() ends the one begun. `failed`: ended by an error.
  void begin_phase(std::string name, Tally tally);
  void end_phase(bool failed) noexcept;
  // What the running phase does now ("" for nothing special).
  void set_step(std::string step);

  ProgressSnapshot snapshot() const;

 private:
  ProgressSnapshot snapshot_locked(Clock::time_point now) const;  // REQUIRES: mutex_ held
  TransferActivity activity_locked() const;                       // REQUIRES: mutex_ held

  mutable std::mutex mutex_;
  ProgressListener* listener_ = nullptr;                            // GUARDED_BY(mutex_)
  std::function<TransferActivity()> activity_;                      // GUARDED_BY(mutex_)
  ProgressSnapshot::State state_ = ProgressSnapshot::State::kIdle;  // GUARDED_BY(mutex_)
  std::string phase_;                                               // GUARDED_BY(mutex_)
  std::string step_;                                                // GUARDED_BY(mutex_)
  Tally tally_ = Tally::kTime;                                      // GUARDED_BY(mutex_)
  Clock::time_point began_;                                         // GUARDED_BY(mutex_)
  // The last phase's, once it ended. GUARDED_BY(mutex_)
  ProgressSnapshot at_end_;
  TransferActivity at_begin_;  // when the phase began; GUARDED_BY(mutex_)
};

// Sets `progress`'s activity source for the life of the object; nothing
// with a null `progress`.
class ActivitySource {
 public:
  ActivitySource(Progress* progress, std::function<TransferActivity()> source) : progress_(progress) {
    if (progress_) progress_->set_activity_source(std::move(source));
  }
  ~ActivitySource() {
    if (progress_) progress_->set_activity_source(nullptr);
  }
  ActivitySource(const ActivitySource&) = delete;
  ActivitySource& operator=(const ActivitySource&) = delete;

 private:
  Progress* progress_;
};

}  // namespace sparkify::pipeline
