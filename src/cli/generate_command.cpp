#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "gen/generator.h"

namespace sparkify::cli {

void add_generate_command(CLI::App& app, Action& run) {
  auto* command = app.add_subcommand(
      "generate", "write synthetic song and event files in the shape of the real data (deterministic per seed)");
  auto options = std::make_shared<gen::GenerateOptions>();
  command->add_option("--songs", options->songs, "song files to write")->capture_default_str();
  command->add_option("--events", options->events, "events to write")->capture_default_str();
  command->add_option("--seed", options->seed, "random seed")->capture_default_str();
  command->add_option("--match-rate", options->match_rate,
                      "fraction of NextSong events whose song, artist and length match a generated song")
      ->capture_default_str();
  command->add_option("--days", options->days, "days of event logs, from 2018-11-01")->capture_default_str();
  command->add_option("--out", options->out_dir, "output folder (song_data/ and log_data/ go inside)")->required();
  command->add_option("--threads", options->threads, "writer threads (0: one per core)")->capture_default_str();
  command->callback([&run, options] {
    run = [options] {
      gen::GenerateSummary summary = gen::generate(*options);
      std::cout << fmt::format(
          "wrote {} song files and {} events ({} NextSong, {} matching a song) in {} event files, "
          "{} users, {:.1f} MB under {}\n",
          summary.song_files, summary.events, summary.next_song_events, summary.matched_events,
          summary.event_files, summary.users, summary.bytes / 1e6, options->out_dir);
      return 0;
    };
  });
}

}  // namespace sparkify::cli
