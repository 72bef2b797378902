// The lake's commit protocol, for one writer at a time.
//
// Opening a transaction refuses a folder that is not a lake (lake_folder.h),
// takes the lake's lock (_sparkify.lock; local disks only: S3 has none),
// writes the lake marker on first use, finishes a commit that an earlier
// run left half-done, and removes staging that killed runs left.
//
// Tables are written under a hidden staging folder beside them
// (LAKE/.sparkify-staging-<id>/<table>/…). Committing is two steps:
//   intend_commit()  writes the journal LAKE/_sparkify_commit naming the
//                    load, its staging folder and tables. From here on the
//                    load is decided: by the journal itself, or, when
//                    `decided_by` names a warehouse, by whether that
//                    warehouse committed the load (its ledger says).
//   finish_commit()  puts each staged table in place of the old one, its
//                    _SUCCESS with it, then removes the journal and staging.
// On a local disk each table is swapped in one step (renameat2 with
// RENAME_EXCHANGE) with its _SUCCESS inside: a reader sees each table
// wholly old or wholly new, whenever the run is killed. Across tables, a
// kill part way leaves some tables new and the rest old until the next
// open completes the commit from the journal. On S3 a table's swap is
// copies and deletes (io::S3FileSystem::replace_tree): while it runs that
// table has no _SUCCESS; the next open completes it from the journal.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/file_system.h"

namespace sparkify::lake {

// A load id unique to this run: time, process and randomness.
std::string new_load_id();

// What the journal of a commit in progress says.
struct CommitJournal {
  std::string load_id;
  std::string staging;     // the staging folder's name, under the root
  std::string decided_by;  // the warehouse whose ledger decides; empty: the journal does
  std::vector<std::string> tables;
};

class LakeTransaction {
 public:
  // Whether the load of a journal naming a warehouse was committed there.
  // Throws UsageError when this run cannot ask that warehouse.
  using Decider = std::function<bool(const CommitJournal&)>;

  // Opens `root` as above. Throws UsageError (nothing changed) for an empty
  // root or a folder that is not a lake, LockedError naming the holder when
  // another run holds the lock, IoError when the lake cannot be written.
  LakeTransaction(io::FileSystem& fs, std::string root, const Decider& decide = {});
  ~LakeTransaction();

  const std::string& root() const { return root_; }
  // Where to write `table` before commit.
  std::string staged_table_dir(const std::string& table) const;
  // What opening did about an earlier run's commit, for the summary; empty
  // when there was none.
  const std::string& recovery_note() const { return recovery_note_; }

  // Phase one: marks each staged table (an empty one for a table with
  // nothing staged) and writes the journal.
  void intend_commit(const std::vector<std::string>& tables, const std::string& load_id,
                     const std::string& decided_by = "");
  // Phase two. A failure here leaves the journal for the next open to
  // finish, and throws IncompleteCommitError.
  void finish_commit();
  // Both phases, for a lake that decides its own commits.
  void commit(const std::vector<std::string>& tables, const std::string& load_id = new_load_id());

  // Before finish_commit(): removes the journal and staging, leaving the
  // lake as it was. After finish_commit() has started: leaves the journal.
  void abort() noexcept;
  // After intend_commit(), when the decider's outcome is unknown: leaves the
  // journal and staging for the next open to settle.
  void leave_undecided() noexcept;

 private:
  io::FileSystem& fs_;
  std::string root_;
  std::string staging_name_;
  std::unique_ptr<io::FileLock> lock_;
  std::string recovery_note_;
  std::vector<std::string> intended_tables_;
  std::string load_id_;
  enum class Stage { kOpen, kIntended, kFinishing, kDone } stage_ = Stage::kOpen;
};

}  // namespace sparkify::lake
