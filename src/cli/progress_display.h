// How a run shows itself on stderr while it runs: it draws a
// pipeline::Progress and the run's log lines, in one of four modes.
//
//   live   stderr is a terminal (and TERM is not "dumb"), text format: one
//          status line for the running phase, drawn when the phase begins,
//          redrawn in place (carriage return and erase-line) on a timer of
//          its own, erased by stop() so that the summary is what stays.
//          Log lines go above it.
//   lines  stderr is not a terminal (cron, CI, a pipe or a file): plain lines,
//          each starting with a UTC timestamp; one when a phase ends, and one
//          every `interval` while it runs. Never a carriage return or an
//          escape sequence.
//   json   --log-format json: as lines, each one JSON object (time, event
//          "phase" | "log" | "error", and the counts).
//   quiet  --quiet: errors only (as text lines, or JSON objects with json).
//
// Nothing it prints holds a secret: it prints phase names, counts, the
// pipeline's log lines and error messages, none of which holds one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <thread>

#include "pipeline/progress.h"

namespace sparkify::cli {

enum class LogFormat { kText, kJson };

struct DisplayOptions {
  LogFormat format = LogFormat::kText;
  bool quiet = false;
  // stderr is a terminal: live (with kText and not quiet), else lines.
  bool terminal = false;
  // Between two lines of a running phase (lines, json).
  std::chrono::milliseconds interval{5000};
  // Between two redraws of the status line (live).
  std::chrono::milliseconds redraw{100};
  // Where the terminal's width is asked (TIOCGWINSZ); 80 columns when it
  // does not answer.
  int terminal_fd = 2;
};

// Whether `fd` is a terminal a status line can be redrawn on: isatty and
// TERM is not "dumb".
bool is_live_terminal(int fd);

// One line of text for a phase's state: its name, its time ("done in 2.1s"
// once ended), the counts of what it reads or lists (done of total, rate,
// ETA, rows, retries, rejects), and what it does now. No timestamp, no
// newline.
std::string describe_progress(const pipeline::ProgressSnapshot& snapshot);

// The same as one JSON object with `time` (ISO 8601, UTC) and event
// "phase"; no newline.
std::string progress_json(const pipeline::ProgressSnapshot& snapshot, const std::string& time);

// "2026-11-28T13:45:01.123Z": `time` in UTC, to the millisecond.
std::string utc_timestamp(std::chrono::system_clock::time_point time);

class ProgressDisplay final : public pipeline::ProgressListener {
 public:
  // Watches `progress` (as its listener, with a timer thread unless quiet)
  // and writes to `out`. REQUIRES: both outlive this object, and nothing
  // else writes to `out`'s terminal while it lives (the summary waits for
  // stop()).
  ProgressDisplay(pipeline::Progress& progress, DisplayOptions options, std::ostream& out);
  ~ProgressDisplay() override;
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  // The run's log: every line written here is shown as a log line; none
  // when quiet. For one thread at a time.
  std::ostream& log() { return log_; }

  // An error, shown in every mode: "sparkify: <message>" (timestamped in
  // lines; {"event":"error"} in json).
  void error(const std::string& message);

  // Stops the timer and erases the status line (live); idempotent. Log
  // lines and errors still show after it.
  void stop();

  void phase_began(const pipeline::ProgressSnapshot& now) override;
  void phase_ended(const pipeline::ProgressSnapshot& at_end) override;

 private:
  // How a line is written: on a terminal, as it is (above the status line,
  // when there is one); elsewhere after a timestamp; or as JSON.
  enum class Mode { kTerminal, kLines, kJson };

  // Hands each complete line written to it to the display.
  class LineBuffer final : public std::streambuf {
   public:
    explicit LineBuffer(ProgressDisplay& display) : display_(display) {}
    void flush_partial();

   protected:
    int_type overflow(int_type ch) override;
    std::streamsize xsputn(const char* text, std::streamsize count) override;

   private:
    ProgressDisplay& display_;
    std::string pending_;
  };

  void log_line(const std::string& line);
  void run_timer();
  // REQUIRES: mutex_ held.
  void tick_locked();
  void draw_status_locked(const std::string& text);
  void erase_status_locked();
  void write_line_locked(const std::string& text);
  void emit_phase_locked(const pipeline::ProgressSnapshot& snapshot);

  pipeline::Progress& progress_;
  DisplayOptions options_;
  Mode mode_;
  std::ostream& out_;
  LineBuffer log_buffer_{*this};
  std::ostream log_{&log_buffer_};

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  // The status line on screen (live). GUARDED_BY(mutex_)
  std::string status_;
  // When the running phase's next line is due (lines, json). GUARDED_BY(mutex_)
  std::chrono::steady_clock::time_point next_line_;
  std::thread timer_;
};

}  // namespace sparkify::cli
