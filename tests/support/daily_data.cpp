#include "support/daily_data.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "test_support.h"

namespace sparkify::testing {

namespace fs = std::filesystem;

std::vector<DataSet> daily_data_sets() {
  std::vector<DataSet> sets = data_sets();
  DataSet generated;
  generated.name = "Generated";
  generated.dir = std::string(SPARKIFY_BINARY_DIR) + "/tests/generated-daily";
  sets.push_back(generated);
  return sets;
}

void make_daily_data(const DataSet& data) {
  if (data.name != "Generated" || fs::exists(data.dir + "/log_data")) return;
  CliOutcome made = run_sparkify("generate --songs 300 --events 5000 --days 5 --seed 23 --out " + data.dir + ".tmp");
  ASSERT_EQ(made.status, 0) << made.output;
  // Another test binary may have made it meanwhile.
  std::error_code error;
  fs::rename(data.dir + ".tmp", data.dir, error);
  if (error) fs::remove_all(data.dir + ".tmp");
}

model::StarSchema without_play_ids(model::StarSchema star) {
  for (auto& play : star.songplays) play.songplay_id = 0;
  auto key = [](const model::SongplayRow& row) {
    return std::tie(row.start_time_ms, row.user_id, row.session_id, row.level, row.song_id, row.artist_id,
                    row.location, row.user_agent);
  };
  std::sort(star.songplays.begin(), star.songplays.end(),
            [&](const model::SongplayRow& a, const model::SongplayRow& b) { return key(a) < key(b); });
  return star;
}

std::vector<std::string> files_below(const std::string& root) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void copy_into(const std::string& from_root, const std::string& relative, const std::string& to_root) {
  fs::create_directories(fs::path(to_root + "/" + relative).parent_path());
  fs::copy_file(from_root + "/" + relative, to_root + "/" + relative, fs::copy_options::overwrite_existing);
}

}  // namespace sparkify::testing
