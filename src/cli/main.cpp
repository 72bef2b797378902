// sparkify: the command-line front end. Parses flags and maps failures to
// exit statuses; the work happens in the pipeline.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "model/error.h"

namespace sparkify::cli {

int exit_status(const std::exception& error) {
  if (dynamic_cast<const UsageError*>(&error)) return 2;
  if (dynamic_cast<const IncompleteCommitError*>(&error)) return 3;
  return 1;
}

std::string error_message(const std::exception& error) {
  if (dynamic_cast<const UsageError*>(&error) || dynamic_cast<const JobError*>(&error)) return error.what();
  return std::string("unexpected error: ") + error.what();
}

}  // namespace sparkify::cli

int main(int argc, char** argv) {
  CLI::App app{"sparkify: song and event logs from JSON to a star schema, in a warehouse or a Parquet lake"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sparkify-etl 0.1.0");
  sparkify::cli::Action run;
  sparkify::cli::add_check_command(app, run);
  sparkify::cli::add_create_tables_command(app, run);
  sparkify::cli::add_etl_command(app, run);
  sparkify::cli::add_generate_command(app, run);
  sparkify::cli::add_report_command(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    std::cerr << "sparkify: " << error.what() << "\nRun with --help for usage.\n";
    return 2;
  }
  try {
    return run();
  } catch (const std::exception& error) {
    std::cerr << "sparkify: " << sparkify::cli::error_message(error) << "\n";
    return sparkify::cli::exit_status(error);
  }
}
