// Incremental loads in a warehouse (--incremental, and backfills with
// --since/--until; docs/schema.md "Daily loads"), in SQL that PostgreSQL
// and Redshift both take, inside the load's transaction. What the star
// tables alone do not hold is kept beside them, in state whose size grows
// with the plays and the user-days, not with repeated events:
//   sparkify_files       the ledger of source files loaded: path, kind
//                        (song or event), size, version (ETag or
//                        modification time), load id, time, and whether
//                        every event of it was merged
//   sparkify_song_listing  a digest of the song files as listed when last
//                        loaded, so that a day's run need not read their
//                        ledger rows when they are listed the same
//   sparkify_songs       every song record loaded, as staged
//   sparkify_song_matches  one row per (title, artist name, duration) of
//                        the songs: the song a play with them matches
//   sparkify_kept_plays  one row per play (user, session, item): its
//                        songplay_id and the event chosen for it so far
//   sparkify_user_days   one row per user and UTC day of ts: that day's
//                        latest event by the users rule, and its count of
//                        NextSong events
//   sparkify_counts      the star tables' rows, as the last run left them
// The choices are minima and maxima of total orders (transform_sql.h's), so
// a merge needs only the rows of the keys it touches: a play's event is the
// smaller of the kept one and the new ones; a user's row is the latest of
// their days. A backfill first sets aside the window's kept rows, so that
// what the files read now hold replaces them. A file whose size or version
// changed, or an empty ledger, rebuilds everything from all the files. A
// full refresh (a run without --incremental) empties the kept state, so the
// next incremental run starts over from all the files.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "model/day_window.h"
#include "model/star.h"
#include "warehouse/pq_connection.h"

namespace sparkify::warehouse {

struct SourceListing;

// A file as the ledger recorded it.
struct LedgerEntry {
  std::string size;
  std::string version;
  bool whole = true;  // every event of it was merged (a backfill may leave some out)
};

struct IncrementalPlan {
  enum class Mode { kRebuild, kMerge } mode = Mode::kRebuild;
  std::vector<io::FileEntry> songs;   // the files to load
  std::vector<io::FileEntry> events;
  // A merge of a backfill: the kept rows inside the window are replaced,
  // and only the window's events were staged.
  std::optional<model::DayWindow> window;
  // After the feeding: the event files read whose events outside the
  // window were left out.
  std::set<std::string> partly_loaded;
  // The ledger as the run found it (its song files' rows only when the
  // song files are listed otherwise than the last run left them).
  std::map<std::string, LedgerEntry> ledger;
  size_t song_files = 0;     // listed
  std::string song_listing;  // their digest: path, size and version of each
  std::string note;                           // what was decided and why, for the summary

  // A merge with no file to read and no window to replace: nothing changes.
  bool nothing_to_load() const { return mode == Mode::kMerge && !window && songs.empty() && events.empty(); }
};

// Drops the ledger and the kept state (create-tables: what was loaded is
// forgotten with the tables).
void drop_incremental_tables(PqConnection& connection);

// Creates the ledger and the kept state where missing, with `kept_state`:
// the engine's CREATE TABLE IF NOT EXISTS statements of
// sparkify_kept_plays and sparkify_user_days (and what speeds them up).
// The state of an earlier version (sparkify_events) is dropped with its
// ledger first, so that the next run rebuilds.
void create_incremental_tables(PqConnection& connection, const std::vector<std::string>& kept_state);

// Which of `sources` to load: the files the ledger lacks (kMerge), and
// for a backfill (sources.window) the event files it reads again; or all of
// them when the ledger is empty or a file the run would not read changed
// since it was loaded (or was loaded in part) (kRebuild).
IncrementalPlan plan_incremental(PqConnection& connection, const SourceListing& sources);

// After the staging tables hold the plan's records. kRebuild: the full
// transform has run; the kept state is made from the staging and the
// ledger holds all the files. kMerge: the kept state takes the staging
// (replacing the window's rows), and the star rows it touches are rebuilt.
// Either way the files read are recorded in the ledger under `load_id`.
// Returns every table's rows: a rebuild counts them, a merge adds what it
// inserted to the counts the last run kept (sparkify_counts) and takes away
// what it deleted, so that a day's merge reads no whole table.
model::TableCounts apply_incremental(PqConnection& connection, const IncrementalPlan& plan,
                                     const std::string& load_id);

// The statements of a merge, in order (the tests read them); `new_songs`:
// whether song files were read (else their statements are left out).
std::vector<std::string> merge_sql(const std::optional<model::DayWindow>& window, bool new_songs = true);

// A full refresh: the ledger and the kept state emptied.
void clear_incremental_state(PqConnection& connection);

}  // namespace sparkify::warehouse
