#include "warehouse/match_sql.h"

#include <string>

namespace sparkify::warehouse {
namespace {

// The staged plays and the catalog `songs` they match against
// (transform_sql.h).
std::string plays_against(const char* songs) {
  return std::string(R"sql(
FROM staging_events e
LEFT JOIN (SELECT DISTINCT title, artist_name, duration FROM )sql") +
         songs + R"sql( WHERE song_id IS NOT NULL) m
  ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.page = 'NextSong' AND e.user_id IS NOT NULL)sql";
}

std::optional<double> number(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return std::stod(*text);
}

}  // namespace

quality::MatchDiagnostics run_match_diagnostics(PqConnection& connection, MatchCatalog catalog) {
  const char* songs = catalog == MatchCatalog::kKeptSongs ? "sparkify_songs" : "staging_songs";
  std::string plays = plays_against(songs);
  quality::MatchDiagnostics match;
  auto counts = connection.query("SELECT COUNT(*), COUNT(m.title)" + plays, {}, "count matched plays");
  if (counts.empty()) return match;
  match.next_song_events = std::stoll(counts[0][0].value_or("0"));
  match.matched = std::stoll(counts[0][1].value_or("0"));
  auto pairs = connection.query(
      "SELECT e.song, e.artist, COUNT(*) AS plays, MIN(e.length), MAX(e.length)" + plays +
          " AND m.title IS NULL GROUP BY e.song, e.artist ORDER BY plays DESC, e.song, e.artist LIMIT " +
          std::to_string(quality::kTopUnmatched),
      {}, "find the most frequent unmatched plays");
  for (const auto& row : pairs) {
    quality::UnmatchedPair pair{row[0], row[1], std::stoll(row[2].value_or("0")), number(row[3]), number(row[4]), {}};
    if (pair.song && pair.artist) {
      std::vector<quality::CatalogSong> candidates;
      // Only ASCII letters fold, as quality::loose_text folds them.
      const char* fold =
          "TRANSLATE(TRIM(BOTH ' ' FROM {}), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
      std::string title = std::string(fold).replace(std::string(fold).find("{}"), 2, "title");
      std::string artist = std::string(fold).replace(std::string(fold).find("{}"), 2, "artist_name");
      for (const auto& song : connection.query(
               "SELECT DISTINCT title, artist_name, duration FROM " + std::string(songs) + " WHERE song_id IS NOT NULL AND " +
                   title + " = $1 AND " + artist + " = $2 ORDER BY title, artist_name, duration",
               {quality::loose_text(*pair.song), quality::loose_text(*pair.artist)}, "find near misses")) {
        if (song[0] && song[1] && song[2]) candidates.push_back({*song[0], *song[1], std::stod(*song[2])});
      }
      quality::describe_near_miss(pair, candidates);
    }
    match.top_unmatched.push_back(std::move(pair));
  }
  return match;
}

}  // namespace sparkify::warehouse
