// The subcommands. Each add_* registers its flags on `app` and sets `run`
// to the action, which returns the process exit status:
// 0 success; 1 the data or the load failed and nothing changed anywhere;
// 2 a usage or configuration error, found before any work; 3 the load was
// committed in part (the message says what, and the next run completes it).
#pragma once

#include <CLI/CLI.hpp>

#include <exception>
#include <functional>
#include <string>

namespace sparkify::cli {

using Action = std::function<int()>;

// The exit status for a failure that ended a command (above; 1 for any
// error that is not one of the tool's) and its message for stderr, without
// the "sparkify: " prefix.
int exit_status(const std::exception& error);
std::string error_message(const std::exception& error);

void add_check_command(CLI::App& app, Action& run);
void add_create_tables_command(CLI::App& app, Action& run);
void add_etl_command(CLI::App& app, Action& run);
void add_generate_command(CLI::App& app, Action& run);
void add_report_command(CLI::App& app, Action& run);

}  // namespace sparkify::cli
