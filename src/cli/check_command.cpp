#include <iostream>

#include "cli/commands.h"
#include "cli/connection_flags.h"
#include "config/settings.h"
#include "model/error.h"
#include "pipeline/check_tables.h"
#include "quality/check.h"

namespace sparkify::cli {

void add_check_command(CLI::App& app, Action& run) {
  auto* command = app.add_subcommand(
      "check",
      "run the contract's data-quality checks (and a file of your own) on the star tables of a warehouse or a lake; "
      "exit 0 when all pass, 1 otherwise");
  auto flags = std::make_shared<config::Flags>();
  add_warehouse_flags(*command, *flags);
  add_s3_flags(*command, *flags);
  command->add_option_function<std::string>(
      "--lake", [flags](const std::string& v) { flags->lake = v; },
      "check the lake here (a folder or s3://bucket/prefix) instead of a warehouse; SQL checks are skipped there");
  command->add_option_function<std::string>(
      "--checks", [flags](const std::string& v) { flags->checks_path = v; },
      "a JSON array of your checks, each {\"name\", \"sql\", \"expected\"} (a warehouse) or a built-in kind: "
      "{\"kind\": \"not_null\"|\"unique\", \"table\", \"column\"}, {\"kind\": \"min_rows\", \"table\", "
      "\"min_rows\"}, {\"kind\": \"references\", \"table\", \"column\", \"parent_table\", \"parent_column\"}");
  command->callback([&run, flags] {
    run = [flags] {
      std::vector<quality::CheckResult> results = pipeline::check_tables(*flags, std::cerr);
      std::cout << quality::format_results(results);
      return quality::all_passed(results) ? 0 : 1;
    };
  });
}

}  // namespace sparkify::cli
