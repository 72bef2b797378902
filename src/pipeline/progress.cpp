#include "pipeline/progress.h"

namespace sparkify::pipeline {

void SourceCounters::set_totals(uint64_t files, uint64_t bytes) noexcept {
  files_total.store(files, std::memory_order_relaxed);
  bytes_total.store(bytes, std::memory_order_relaxed);
}

void Progress::set_listener(ProgressListener* listener) {
  std::lock_guard lock(mutex_);
  listener_ = listener;
}

void Progress::set_activity_source(std::function<TransferActivity()> source) {
  std::lock_guard lock(mutex_);
  activity_ = std::move(source);
}

TransferActivity Progress::activity_locked() const { return activity_ ? activity_() : TransferActivity{}; }

void Progress::begin_phase(std::string name, Tally tally) {
  ProgressSnapshot now;
  ProgressListener* listener = nullptr;
  {
    std::lock_guard lock(mutex_);
    state_ = ProgressSnapshot::State::kRunning;
    phase_ = std::move(name);
    step_.clear();
    tally_ = tally;
    began_ = Clock::now();
    at_begin_ = activity_locked();
    now = snapshot_locked(began_);
    listener = listener_;
  }
  // Outside the lock: the listener may take a snapshot of its own.
  if (listener) listener->phase_began(now);
}

void Progress::end_phase(bool failed) noexcept {
  ProgressSnapshot at_end;
  ProgressListener* listener = nullptr;
  try {
    std::lock_guard lock(mutex_);
    if (state_ != ProgressSnapshot::State::kRunning) return;
    at_end = snapshot_locked(Clock::now());
    at_end.state = failed ? ProgressSnapshot::State::kFailed : ProgressSnapshot::State::kEnded;
    at_end.step.clear();
    state_ = at_end.state;
    at_end_ = at_end;
    listener = listener_;
  } catch (...) {
    return;  // it runs in destructors (PhaseTimer's): never throws
  }
  if (listener) listener->phase_ended(at_end);
}

void Progress::set_step(std::string step) {
  std::lock_guard lock(mutex_);
  step_ = std::move(step);
}

ProgressSnapshot Progress::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_locked(Clock::now());
}

ProgressSnapshot Progress::snapshot_locked(Clock::time_point now) const {
  if (state_ != ProgressSnapshot::State::kRunning) return at_end_;  // frozen at the end
  ProgressSnapshot out;
  out.state = state_;
  out.phase = phase_;
  out.step = step_;
  out.tally = tally_;
  out.seconds = std::chrono::duration<double>(now - began_).count();
  TransferActivity activity = activity_locked();
  out.retries = activity.retries;
  out.retries_before = at_begin_.retries;
  auto load = [](const std::atomic<uint64_t>& value) { return value.load(std::memory_order_relaxed); };
  switch (tally_) {
    case Tally::kTime:
      break;
    case Tally::kListing:
      out.files_done = load(files_listed);
      out.bytes_done = load(bytes_listed);
      out.keys_listed = activity.keys_listed - at_begin_.keys_listed;
      break;
    case Tally::kSongs:
    case Tally::kEvents: {
      const SourceCounters& source = tally_ == Tally::kSongs ? songs : events;
      out.files_total = load(source.files_total);
      out.bytes_total = load(source.bytes_total);
      out.files_done = load(source.files_done);
      out.bytes_done = load(source.bytes_done);
      out.rows = load(source.rows);
      out.rejects = load(source.rejects);
      break;
    }
  }
  return out;
}

}  // namespace sparkify::pipeline
