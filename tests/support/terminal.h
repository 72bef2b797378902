// Runs a program on a pseudo-terminal, as a user at a terminal would, and
// replays what it wrote to find what the screen shows at the end. For the
// tests of the live progress display. Link with `util` (forkpty).
#pragma once

#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <vector>

namespace sparkify::testing {

struct TerminalRun {
  int status = -1;     // the exit status; -1 when killed by a signal
  std::string output;  // every byte written to the terminal (stdout and stderr), as written
};

// Runs `argv` (argv[0] a path) with stdin, stdout and stderr on a new
// pseudo-terminal of `columns` x 40, with TERM=xterm and `environment`
// ("NAME=value") added. The terminal keeps its usual output processing
// (ONLCR: a "\n" reaches the screen as "\r\n"), so a "\r" not followed by
// "\n" is the program's own.
inline TerminalRun run_on_terminal(const std::vector<std::string>& argv,
                                   const std::vector<std::string>& environment = {}, int columns = 120) {
  winsize size{};
  size.ws_row = 40;
  size.ws_col = static_cast<unsigned short>(columns);
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
  if (pid < 0) throw std::runtime_error("forkpty failed");
  if (pid == 0) {
    ::setenv("TERM", "xterm", 1);
    for (const auto& pair : environment) ::putenv(const_cast<char*>(pair.c_str()));
    std::vector<char*> args;
    for (const auto& word : argv) args.push_back(const_cast<char*>(word.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  TerminalRun run;
  char buffer[4096];
  for (;;) {
    ssize_t got = ::read(master, buffer, sizeof buffer);
    if (got > 0) {
      run.output.append(buffer, static_cast<size_t>(got));
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child and every holder of the terminal are gone
    }
  }
  ::close(master);
  int raw = 0;
  ::waitpid(pid, &raw, 0);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

// The lines a terminal shows after `output` (from the top, with trailing
// blank lines left out), for the few controls a progress display uses:
// "\r" to the line's start, "\n" down a line (with ONLCR's "\r" before it),
// ESC [ K erase to the line's end, and other ESC [ … sequences ignored.
inline std::vector<std::string> terminal_screen(const std::string& output) {
  std::vector<std::string> lines(1);
  size_t column = 0;
  for (size_t at = 0; at < output.size(); ++at) {
    char c = output[at];
    std::string& line = lines.back();
    if (c == '\r') {
      column = 0;
    } else if (c == '\n') {
      lines.emplace_back();
      column = 0;
    } else if (c == '\x1b' && at + 1 < output.size() && output[at + 1] == '[') {
      size_t end = at + 2;
      while (end < output.size() && !(output[end] >= '@' && output[end] <= '~')) ++end;
      if (end < output.size() && output[end] == 'K' && column < line.size()) line.resize(column);
      at = end;
    } else {
      if (column < line.size()) {
        line[column] = c;
      } else {
        line.resize(column, ' ');
        line += c;
      }
      ++column;
    }
  }
  while (!lines.empty() && lines.back().find_first_not_of(' ') == std::string::npos) lines.pop_back();
  return lines;
}

}  // namespace sparkify::testing
