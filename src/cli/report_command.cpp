#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/connection_flags.h"
#include "config/settings.h"
#include "pipeline/write_report.h"

namespace sparkify::cli {

void add_report_command(CLI::App& app, Action& run) {
  auto* command = app.add_subcommand(
      "report",
      "write an HTML page of charts of what users listen to (plays over time, top songs and artists, free and paid, "
      "sessions, places, browsers, the song match rate), each with its SQL, from the star tables of a lake or a "
      "warehouse; one file that opens with no network");
  auto flags = std::make_shared<config::Flags>();
  auto out = std::make_shared<std::string>("report.html");
  add_warehouse_flags(*command, *flags);
  add_s3_flags(*command, *flags);
  command->add_option_function<std::string>(
      "--lake", [flags](const std::string& v) { flags->lake = v; },
      "report on the lake here (a folder or s3://bucket/prefix) instead of a warehouse");
  command->add_option("--out", *out, "the page to write (replaced whole)")->capture_default_str();
  command->callback([&run, flags, out] {
    run = [flags, out] {
      pipeline::write_report(*flags, *out, std::cerr);
      return 0;
    };
  });
}

}  // namespace sparkify::cli
