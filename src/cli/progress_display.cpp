#include "cli/progress_display.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include "model/json_text.h"

namespace sparkify::cli {
namespace {

using pipeline::ProgressSnapshot;
using pipeline::Tally;
using std::chrono::steady_clock;

constexpr char kEraseLine[] = "\x1b[K";
constexpr int kDefaultColumns = 80;
// The timer looks at least this often whether a line is due (lines, json).
constexpr std::chrono::milliseconds kLongestWait{1000};

std::string with_commas(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t idx = 0; idx < digits.size(); ++idx) {
    if (idx > 0 && (digits.size() - idx) % 3 == 0) out += ',';
    out += digits[idx];
  }
  return out;
}

// A unit for sizes up to `bytes`: decimal, as the summary's MB.
struct SizeUnit {
  double scale;
  const char* name;
  const char* format;
};
SizeUnit size_unit(double bytes) {
  if (bytes >= 1e9) return {1e9, "GB", "{:.2f}"};
  if (bytes >= 1e6) return {1e6, "MB", "{:.1f}"};
  return {1e3, "kB", "{:.1f}"};
}

std::string size_text(double bytes) {
  SizeUnit unit = size_unit(bytes);
  return fmt::format(fmt::runtime(unit.format), bytes / unit.scale) + " " + unit.name;
}

// "12.3/98.7 MB": both in the unit of `total`.
std::string size_pair_text(uint64_t done, uint64_t total) {
  SizeUnit unit = size_unit(static_cast<double>(total));
  return fmt::format(fmt::runtime(unit.format), done / unit.scale) + "/" +
         fmt::format(fmt::runtime(unit.format), total / unit.scale) + " " + unit.name;
}

std::string duration_text(double seconds) {
  if (seconds < 60) return fmt::format("{:.1f}s", seconds);
  auto whole = static_cast<uint64_t>(seconds);
  if (whole < 3600) return fmt::format("{}:{:02}", whole / 60, whole % 60);
  return fmt::format("{}:{:02}:{:02}", whole / 3600, whole / 60 % 60, whole % 60);
}

bool counts_source(const ProgressSnapshot& snapshot) {
  return snapshot.tally == Tally::kSongs || snapshot.tally == Tally::kEvents;
}

// Bytes (or, for files of no bytes, files) a second over the phase so far.
double rate_of(const ProgressSnapshot& snapshot) {
  if (snapshot.seconds <= 0) return 0;
  return (snapshot.bytes_total > 0 ? snapshot.bytes_done : snapshot.files_done) / snapshot.seconds;
}

// Seconds left at the phase's rate so far; negative when unknown.
double eta_of(const ProgressSnapshot& snapshot) {
  double rate = rate_of(snapshot);
  if (snapshot.state != ProgressSnapshot::State::kRunning || rate <= 0) return -1;
  uint64_t done = snapshot.bytes_total > 0 ? snapshot.bytes_done : snapshot.files_done;
  uint64_t total = snapshot.bytes_total > 0 ? snapshot.bytes_total : snapshot.files_total;
  return total > done ? (total - done) / rate : 0;
}

// {"time":…,"event":`event`,"message":`message`}
std::string message_json(const char* event, const std::string& message) {
  return fmt::format(R"({{"time":{},"event":"{}","message":{}}})",
                     model::json_quote(utc_timestamp(std::chrono::system_clock::now())), event,
                     model::json_quote(message));
}

int terminal_columns(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return kDefaultColumns;
}

// `text` cut to `width` bytes, not inside a UTF-8 sequence.
std::string fit(std::string text, size_t width) {
  if (text.size() <= width) return text;
  size_t end = width;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

}  // namespace

bool is_live_terminal(int fd) {
  if (::isatty(fd) != 1) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

std::string utc_timestamp(std::chrono::system_clock::time_point time) {
  auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  std::time_t seconds = static_cast<std::time_t>(since_epoch.count() / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, since_epoch.count() % 1000);
}

std::string describe_progress(const ProgressSnapshot& snapshot) {
  // The most telling first: a narrow terminal cuts the line's end.
  std::string out = snapshot.phase;
  switch (snapshot.state) {
    case ProgressSnapshot::State::kRunning:
      out += "  " + duration_text(snapshot.seconds);
      break;
    case ProgressSnapshot::State::kEnded:
      out += "  done in " + duration_text(snapshot.seconds);
      break;
    case ProgressSnapshot::State::kFailed:
      out += "  stopped by an error after " + duration_text(snapshot.seconds);
      break;
    case ProgressSnapshot::State::kIdle:
      break;
  }
  if (counts_source(snapshot)) {
    if (snapshot.state == ProgressSnapshot::State::kRunning) {
      out += fmt::format("  {}/{} files  {}", with_commas(snapshot.files_done), with_commas(snapshot.files_total),
                         size_pair_text(snapshot.bytes_done, snapshot.bytes_total));
    } else {
      out += fmt::format("  {} files  {}", with_commas(snapshot.files_done), size_text(snapshot.bytes_done));
    }
    double rate = rate_of(snapshot);
    if (rate > 0)
      out += snapshot.bytes_total > 0 ? "  " + size_text(rate) + "/s" : fmt::format("  {:.0f} files/s", rate);
    if (double eta = eta_of(snapshot); eta >= 0) out += "  ETA " + duration_text(eta);
    out += fmt::format("  {} rows  retries {}  rejects {}", with_commas(snapshot.rows), with_commas(snapshot.retries),
                       with_commas(snapshot.rejects));
  } else {
    if (snapshot.tally == Tally::kListing) {
      out += fmt::format("  {} files ({}) found", with_commas(snapshot.files_done), size_text(snapshot.bytes_done));
      if (snapshot.keys_listed > 0) out += fmt::format("  {} keys listed", with_commas(snapshot.keys_listed));
    }
    // The run's retries so far, where some came during this phase.
    if (snapshot.retries > snapshot.retries_before) out += fmt::format("  retries {}", with_commas(snapshot.retries));
  }
  if (snapshot.state == ProgressSnapshot::State::kRunning && !snapshot.step.empty()) out += "  " + snapshot.step;
  return out;
}

std::string progress_json(const ProgressSnapshot& snapshot, const std::string& time) {
  const char* state = snapshot.state == ProgressSnapshot::State::kRunning  ? "running"
                      : snapshot.state == ProgressSnapshot::State::kFailed ? "failed"
                                                                           : "ended";
  std::string out = fmt::format(R"({{"time":{},"event":"phase","phase":{},"state":"{}","seconds":{:.3f})",
                                model::json_quote(time), model::json_quote(snapshot.phase), state, snapshot.seconds);
  if (counts_source(snapshot)) {
    out += fmt::format(
        R"(,"files_done":{},"files_total":{},"bytes_done":{},"bytes_total":{},"rows":{},"rejects":{},"bytes_per_second":{:.0f})",
        snapshot.files_done, snapshot.files_total, snapshot.bytes_done, snapshot.bytes_total, snapshot.rows,
        snapshot.rejects, snapshot.bytes_total > 0 ? rate_of(snapshot) : 0.0);
    if (double eta = eta_of(snapshot); eta >= 0) out += fmt::format(R"(,"eta_seconds":{:.1f})", eta);
  } else if (snapshot.tally == Tally::kListing) {
    out += fmt::format(R"(,"files_found":{},"bytes_found":{},"keys_listed":{})", snapshot.files_done,
                       snapshot.bytes_done, snapshot.keys_listed);
  }
  out += fmt::format(R"(,"retries":{})", snapshot.retries);
  if (!snapshot.step.empty()) out += ",\"step\":" + model::json_quote(snapshot.step);
  return out + "}";
}

ProgressDisplay::ProgressDisplay(pipeline::Progress& progress, DisplayOptions options, std::ostream& out)
    : progress_(progress), options_(options), out_(out) {
  if (options_.format == LogFormat::kJson) {
    mode_ = Mode::kJson;
  } else {
    mode_ = options_.terminal ? Mode::kTerminal : Mode::kLines;
  }
  next_line_ = steady_clock::time_point::max();
  if (options_.quiet) return;
  progress_.set_listener(this);
  timer_ = std::thread([this] { run_timer(); });
}

ProgressDisplay::~ProgressDisplay() { stop(); }

void ProgressDisplay::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (timer_.joinable()) timer_.join();
  if (!options_.quiet) progress_.set_listener(nullptr);
  log_buffer_.flush_partial();
  std::lock_guard lock(mutex_);
  erase_status_locked();
}

void ProgressDisplay::run_timer() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    std::chrono::milliseconds wait = options_.redraw;
    if (mode_ != Mode::kTerminal) {
      auto now = steady_clock::now();
      wait = next_line_ <= now                 ? std::chrono::milliseconds(0)
             : next_line_ - now > kLongestWait ? kLongestWait
                                               : std::chrono::ceil<std::chrono::milliseconds>(next_line_ - now);
    }
    wake_.wait_for(lock, wait);
    if (stopping_) break;
    tick_locked();
  }
}

void ProgressDisplay::tick_locked() {
  ProgressSnapshot snapshot = progress_.snapshot();
  if (snapshot.state == ProgressSnapshot::State::kIdle) return;
  if (mode_ == Mode::kTerminal) {
    draw_status_locked(describe_progress(snapshot));
    return;
  }
  auto now = steady_clock::now();
  if (snapshot.state != ProgressSnapshot::State::kRunning || now < next_line_) return;
  emit_phase_locked(snapshot);
  next_line_ = now + options_.interval;
}

void ProgressDisplay::phase_began(const ProgressSnapshot& now) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  if (mode_ == Mode::kTerminal) {
    draw_status_locked(describe_progress(now));
  } else {
    next_line_ = steady_clock::now() + options_.interval;
    wake_.notify_all();
  }
}

void ProgressDisplay::phase_ended(const ProgressSnapshot& at_end) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  if (mode_ == Mode::kTerminal) {
    draw_status_locked(describe_progress(at_end));
  } else {
    emit_phase_locked(at_end);
    next_line_ = steady_clock::time_point::max();
  }
}

void ProgressDisplay::emit_phase_locked(const ProgressSnapshot& snapshot) {
  if (mode_ == Mode::kJson) {
    write_line_locked(progress_json(snapshot, utc_timestamp(std::chrono::system_clock::now())));
  } else {
    write_line_locked(describe_progress(snapshot));
  }
}

void ProgressDisplay::log_line(const std::string& line) {
  if (options_.quiet) return;
  std::lock_guard lock(mutex_);
  write_line_locked(mode_ == Mode::kJson ? message_json("log", line) : line);
}

void ProgressDisplay::error(const std::string& message) {
  std::lock_guard lock(mutex_);
  write_line_locked(mode_ == Mode::kJson ? message_json("error", message) : "sparkify: " + message);
}

void ProgressDisplay::write_line_locked(const std::string& text) {
  std::string line;
  switch (mode_) {
    case Mode::kTerminal: {
      // Above the status line, which is drawn again below it.
      std::string status = status_;
      erase_status_locked();
      out_ << text << "\n";
      out_.flush();
      if (!status.empty() && !stopping_) draw_status_locked(status);
      return;
    }
    case Mode::kLines:
      line = utc_timestamp(std::chrono::system_clock::now()) + " " + text + "\n";
      break;
    case Mode::kJson:
      line = text + "\n";
      break;
  }
  out_.write(line.data(), static_cast<std::streamsize>(line.size()));
  out_.flush();
}

void ProgressDisplay::draw_status_locked(const std::string& text) {
  // One column short of the width: a full line would wrap the cursor on
  // some terminals, and the carriage return would then redraw the wrong line.
  std::string shown = fit(text, static_cast<size_t>(std::max(1, terminal_columns(options_.terminal_fd) - 1)));
  if (shown == status_) return;
  std::string line = "\r" + shown + kEraseLine;
  out_.write(line.data(), static_cast<std::streamsize>(line.size()));
  out_.flush();
  status_ = shown;
}

void ProgressDisplay::erase_status_locked() {
  if (status_.empty()) return;
  out_ << "\r" << kEraseLine;
  out_.flush();
  status_.clear();
}

ProgressDisplay::LineBuffer::int_type ProgressDisplay::LineBuffer::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  char c = traits_type::to_char_type(ch);
  xsputn(&c, 1);
  return ch;
}

std::streamsize ProgressDisplay::LineBuffer::xsputn(const char* text, std::streamsize count) {
  std::string_view rest(text, static_cast<size_t>(count));
  for (size_t newline = rest.find('\n'); newline != std::string_view::npos; newline = rest.find('\n')) {
    pending_.append(rest.substr(0, newline));
    display_.log_line(pending_);
    pending_.clear();
    rest.remove_prefix(newline + 1);
  }
  pending_.append(rest);
  return count;
}

void ProgressDisplay::LineBuffer::flush_partial() {
  if (pending_.empty()) return;
  display_.log_line(pending_);
  pending_.clear();
}

}  // namespace sparkify::cli
