#include "warehouse/match_sql.h"

#include <string>

namespace sparkify::warehouse {
namespace {

// The staged plays and the catalog they match against (transform_sql.h):
// the staged songs' triples, or the kept matches, one row per triple.
std::string plays_against(MatchCatalog catalog) {
  std::string songs = catalog == MatchCatalog::kKeptSongs
                          ? "SELECT title, artist_name, duration FROM sparkify_song_matches"
                          : "SELECT DISTINCT title, artist_name, duration FROM staging_songs WHERE song_id IS NOT NULL";
  return "\nFROM staging_events e\nLEFT JOIN (" + songs +
         ") m\n  ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length\n"
         "WHERE e.page = 'NextSong' AND e.user_id IS NOT NULL";
}

std::optional<double> number(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return std::stod(*text);
}

}  // namespace

std::string loose_text_sql(const std::string& column) {
  // Only ASCII letters fold, as quality::loose_text folds them.
  return "TRANSLATE(TRIM(BOTH ' ' FROM " + column + "), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
}

quality::MatchDiagnostics run_match_diagnostics(PqConnection& connection, MatchCatalog catalog) {
  const char* songs = catalog == MatchCatalog::kKeptSongs ? "sparkify_song_matches" : "staging_songs";
  std::string plays = plays_against(catalog);
  quality::MatchDiagnostics match;
  // One pass over the plays: each (song, artist) with its plays, matched
  // and not, and the lengths of those not matched; the totals over all
  // pairs ride along on every row. The pairs with most unmatched plays
  // come first (those with none last, and are not kept).
  auto rows = connection.query(
      "SELECT song, artist, plays - matched AS unmatched, min_length, max_length, SUM(plays) OVER (), "
      "SUM(matched) OVER ()\nFROM (\n  SELECT e.song, e.artist, COUNT(*) AS plays, COUNT(m.title) AS matched, "
      "MIN(CASE WHEN m.title IS NULL THEN e.length END) AS min_length, "
      "MAX(CASE WHEN m.title IS NULL THEN e.length END) AS max_length" +
          plays + "\n  GROUP BY e.song, e.artist\n) pairs\nORDER BY unmatched DESC, song, artist LIMIT " +
          std::to_string(quality::kTopUnmatched),
      {}, "count matched plays and find the most frequent unmatched");
  if (rows.empty()) return match;
  match.next_song_events = std::stoll(rows[0][5].value_or("0"));
  match.matched = std::stoll(rows[0][6].value_or("0"));
  std::vector<PqConnection::Row> pairs;
  for (auto& row : rows) {
    if (std::stoll(row[2].value_or("0")) > 0) pairs.push_back(std::move(row));
  }
  for (const auto& row : pairs) {
    quality::UnmatchedPair pair{row[0], row[1], std::stoll(row[2].value_or("0")), number(row[3]), number(row[4]), {}};
    if (pair.song && pair.artist) {
      std::vector<quality::CatalogSong> candidates;
      for (const auto& song : connection.query(
               "SELECT DISTINCT title, artist_name, duration FROM " + std::string(songs) +
                   " WHERE song_id IS NOT NULL AND " + loose_text_sql("title") + " = $1 AND " +
                   loose_text_sql("artist_name") + " = $2 ORDER BY title, artist_name, duration",
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
