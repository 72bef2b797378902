// Incremental loads in a warehouse (--incremental; docs/schema.md "Daily
// loads"), in SQL that PostgreSQL and Redshift both take, inside the load's
// transaction. What the star tables alone do not hold is kept beside them:
//   sparkify_files   the ledger of source files loaded: path, size,
//                    version (ETag or modification time), load id, time
//   sparkify_events  every event record loaded, as staged
//   sparkify_songs   every song record loaded, as staged
//   sparkify_plays   each songplay's id and natural key (user, session, item)
// A run loads only the files the ledger lacks, then rebuilds just the rows
// those records touch from the kept records, by the contract's own rules:
// so loading days one at a time, in any order, gives the tables a full load
// gives (songplay_id aside, which continues after the largest when a run
// adds plays earlier than those already there). A file whose size or version
// changed, or an empty ledger, rebuilds everything from all the files. A
// full refresh (a run without --incremental) empties the kept state, so the
// next incremental run starts over from all the files.
#pragma once

#include <string>
#include <vector>

#include "io/file_system.h"
#include "warehouse/pq_connection.h"

namespace sparkify::warehouse {

struct SourceListing;

struct IncrementalPlan {
  enum class Mode { kRebuild, kMerge } mode = Mode::kRebuild;
  std::vector<io::FileEntry> songs;   // the files to load
  std::vector<io::FileEntry> events;
  std::string note;                   // what was decided and why, for the summary
};

// Drops the ledger and the kept state (create-tables: what was loaded is
// forgotten with the tables).
void drop_incremental_tables(PqConnection& connection);

// Creates the ledger and the kept state where missing.
void create_incremental_tables(PqConnection& connection);

// Which of `sources` to load: the files the ledger lacks (kMerge), or all
// of them when the ledger is empty or a loaded file changed (kRebuild).
IncrementalPlan plan_incremental(PqConnection& connection, const SourceListing& sources);

// After the staging tables hold the plan's records. kRebuild: the full
// transform has run; the kept state becomes the staging and the ledger all
// the files. kMerge: the kept state gains the staging, and the star rows
// the new records touch are rebuilt. Either way the plan's files join the
// ledger under `load_id`.
void apply_incremental(PqConnection& connection, const IncrementalPlan& plan, const std::string& load_id);

// The statements of a merge, in order (the tests read them).
std::vector<std::string> merge_sql();

// A full refresh: the ledger and the kept state emptied.
void clear_incremental_state(PqConnection& connection);

}  // namespace sparkify::warehouse
