// The subcommands. Each add_* registers its flags on `app` and sets `run`
// to the action, which returns the process exit status:
// 0 success, 1 the data or the load failed, 2 usage or configuration error.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace sparkify::cli {

using Action = std::function<int()>;

void add_create_tables_command(CLI::App& app, Action& run);
void add_etl_command(CLI::App& app, Action& run);
void add_generate_command(CLI::App& app, Action& run);

}  // namespace sparkify::cli
