#include <unistd.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/connection_flags.h"
#include "cli/progress_display.h"
#include "config/settings.h"
#include "model/error.h"
#include "pipeline/etl.h"
#include "pipeline/output_files.h"

namespace sparkify::cli {

void add_etl_command(CLI::App& app, Action& run) {
  auto* command = app.add_subcommand(
      "etl", "extract song and event JSON, stage it and build the star schema (in a warehouse and/or a lake)");
  auto flags = std::make_shared<config::Flags>();
  add_warehouse_flags(*command, *flags);
  command->add_option_function<std::string>(
      "--song-data", [flags](const std::string& v) { flags->song_data = v; },
      "folder (searched recursively for *.json, *.json.gz) or s3://bucket/prefix of song files");
  command->add_option_function<std::string>(
      "--log-data", [flags](const std::string& v) { flags->log_data = v; },
      "folder or s3://bucket/prefix of event log files");
  command->add_option_function<std::string>(
      "--lake", [flags](const std::string& v) { flags->lake = v; },
      "write the star schema as a hive-partitioned Parquet lake here (folder or s3://); "
      "with neither --target nor --lake: ./lake");
  command->add_option_function<int64_t>(
      "--max-errors", [flags](int64_t v) { flags->max_errors = v; },
      "rejected records tolerated before the run fails and commits nothing (default 0)");
  command->add_option_function<std::string>(
      "--rejects", [flags](const std::string& v) { flags->rejects_path = v; },
      "where rejected records are written, one JSON object each (default rejects.ndjson)");
  command->add_option_function<int>(
      "--threads", [flags](int v) { flags->threads = v; }, "files read and parsed at once (default: one per core)");
  command->add_option_function<std::string>(
      "--compression", [flags](const std::string& v) { flags->compression = v; },
      "Parquet compression: snappy (default), zstd or none");
  add_s3_flags(*command, *flags);
  command->add_option_function<int>(
      "--s3-connections", [flags](int v) { flags->s3_connections = v; },
      "S3 requests in flight at once, each on its own kept-alive connection (default 64: many small files)");
  command->add_option_function<int>(
      "--s3-max-attempts", [flags](int v) { flags->s3_max_attempts = v; },
      "attempts per S3 request, the first included, before the run fails (default: AWS_MAX_ATTEMPTS, the profile's max_attempts, or 3)");
  command->add_flag_function(
      "--allow-empty-input", [flags](int64_t count) { flags->allow_empty_input = count > 0; },
      "accept a source with no file, or whose files hold no record of its kind (without it, that fails the run: "
      "it is what swapped --song-data and --log-data look like)");
  command->add_option_function<std::string>(
      "--staging", [flags](const std::string& v) { flags->staging = v; },
      "Redshift: an s3://bucket/prefix where the tool may write its own files for the cluster's COPY (staging "
      "parts, manifests, a jsonpaths file), removed when the load ends; required for compacted staging");
  command->add_option_function<std::string>(
      "--stage-via", [flags](const std::string& v) { flags->stage_via = v; },
      "Redshift: compacted (the tool reads and checks the files and stages a few gzip parts; the default for "
      "local sources) or direct (the cluster COPYs the source files from S3; the default when both are on S3)");
  command->add_option_function<std::string>(
      "--transform", [flags](const std::string& v) { flags->transform = v; },
      "where a warehouse's star tables are built: in-process (PostgreSQL's default: the tool builds them beside "
      "the staging, as for the lake, and COPYs them in, in the same transaction) or sql (the warehouse's SQL over "
      "the staging tables; Redshift's only way)");
  command->add_option_function<std::string>(
      "--log-jsonpath", [flags](const std::string& v) { flags->log_jsonpath = v; },
      "Redshift, direct staging: s3:// jsonpaths file mapping event keys onto staging_events' columns "
      "(else [S3] LOG_JSONPATH; else the tool writes one under --staging)");
  command->add_flag_function(
      "--incremental", [flags](int64_t count) { flags->incremental = count > 0; },
      "load only the source files not loaded before (a ledger in the warehouse: path, size, ETag or modification "
      "time) and merge their rows into the star tables by the contract's rules; a run with nothing new changes "
      "nothing. A changed file, or an empty ledger, loads every file again (docs/schema.md)");
  command->add_option_function<std::string>(
      "--since", [flags](const std::string& v) { flags->since = v; },
      "a backfill from this day, YYYY-MM-DD (UTC, by each event's ts; implies --incremental): the event files "
      "dated inside the window (or not dated) are read again, and the window's plays and users are replaced by "
      "what they hold now; events outside it are left out (docs/schema.md)");
  command->add_option_function<std::string>(
      "--until", [flags](const std::string& v) { flags->until = v; },
      "a backfill up to this day, included, YYYY-MM-DD (UTC; implies --incremental); alone or with --since");
  command->add_flag_function(
      "--full-refresh", [flags](int64_t count) { flags->full_refresh = count > 0; },
      "rebuild every table from all the sources (the default)");
  command->add_flag_function(
      "--check", [flags](int64_t count) { flags->check = count > 0; },
      "run the contract's checks (and --checks) on the new tables before committing them, in the warehouse's "
      "transaction and on the lake's staged rows; a failed check commits nothing (exit 1)");
  command->add_option_function<std::string>(
      "--checks", [flags](const std::string& v) { flags->checks_path = v; },
      "a JSON file of the user's checks, run with the contract's (implies --check; see sparkify check --help)");
  command->add_flag_function(
      "--dry-run", [flags](int64_t count) { flags->dry_run = count > 0; },
      "print every statement the run would send to the warehouse and what it would write, secrets left out, "
      "and exit 0 without connecting or reading anything");
  auto report_path = std::make_shared<std::string>();
  command->add_option("--report", *report_path,
                      "also write the run report as JSON to this file, at the end of every run, failed ones too "
                      "(status, error, what was committed)");
  auto display = std::make_shared<DisplayOptions>();
  command->add_flag("-q,--quiet", display->quiet,
                    "print only errors and the summary: no progress, no log lines");
  command
      ->add_option_function<std::string>(
          "--log-format",
          [display](const std::string& format) {
            display->format = format == "json" ? LogFormat::kJson : LogFormat::kText;
          },
          "text (default: a live status line on a terminal, timestamped lines elsewhere) or json (one JSON "
          "object per line on stderr, and the summary as JSON on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  command->add_option_function<double>(
             "--progress-interval",
             [display](double seconds) {
               display->interval = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
             },
             "seconds between two progress lines of a running phase when stderr is not a terminal (default 5)")
      ->check(CLI::Range(0.1, 3600.0));
  command->callback([&run, flags, report_path, display] {
    run = [flags, report_path, display] {
      DisplayOptions display_options = *display;
      display_options.terminal = is_live_terminal(STDERR_FILENO);
      pipeline::Progress progress;
      ProgressDisplay shown(progress, display_options, std::cerr);
      pipeline::RunSummary summary;
      summary.progress = &progress;
      auto write_report = [&] {
        if (!report_path->empty()) {
          pipeline::write_file_atomically(*report_path, pipeline::summary_json(summary), "run report");
        }
      };
      auto fail = [&](const std::exception& error) {
        shown.stop();
        shown.error(error_message(error));
        return exit_status(error);
      };
      try {
        // A report that cannot be written must fail the run before any
        // work, not after the commit.
        if (!report_path->empty()) pipeline::check_output_path(*report_path, "run report");
      } catch (const std::exception& error) {
        return fail(error);
      }
      auto fail_with_report = [&](const std::exception& error) {
        summary.status = dynamic_cast<const IncompleteCommitError*>(&error) ? "incomplete" : "failed";
        summary.error = error.what();
        try {
          write_report();
        } catch (const std::exception& report_error) {
          shown.stop();
          shown.error(report_error.what());
        }
        return fail(error);
      };
      try {
        config::Settings settings = config::resolve_etl_settings(*flags);
        pipeline::FileSystems file_systems(settings);
        if (settings.dry_run) {
          auto sinks = pipeline::make_sinks(settings, file_systems, &std::cout);
          pipeline::rehearse_etl(settings, sinks, std::cout);
          return 0;
        }
        auto sinks = pipeline::make_sinks(settings, file_systems);
        pipeline::run_etl(settings, file_systems, sinks, shown.log(), summary);
      } catch (const std::exception& error) {
        return fail_with_report(error);
      }
      shown.stop();  // the summary replaces the status line
      summary.status = "succeeded";
      std::cout << (display_options.format == LogFormat::kJson ? pipeline::summary_json(summary)
                                                                : pipeline::format_summary(summary));
      std::cout.flush();
      try {
        write_report();
      } catch (const std::exception& error) {
        return fail(IncompleteCommitError(std::string("everything was committed, but ") + error.what()));
      }
      return 0;
    };
  });
}

}  // namespace sparkify::cli
