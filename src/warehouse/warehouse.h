// The Warehouse interface: a server that stages the raw records and builds
// the star schema from them with SQL. PostgreSQL is the first
// implementation; Redshift (server-side COPY from S3) is the next, behind the
// same interface.
//
// Life cycle of a load, all in one transaction:
//   begin_load() → stage(kSongs) … end_stage() → stage(kEvents) … end_stage()
//   → transform() → commit(load_id)     or, on any failure, abort().
// Until commit() returns, other sessions see the previous tables unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/records.h"
#include "model/star.h"

namespace sparkify::warehouse {

using model::TableCounts;

class Warehouse {
 public:
  virtual ~Warehouse() = default;

  // Drops and recreates the staging and star tables (create-tables).
  virtual void create_tables() = 0;

  // Opens the load's transaction, creates missing tables and empties the
  // staging tables.
  virtual void begin_load() = 0;

  // Streams records into staging_songs / staging_events. Calls for one
  // table come together and end with end_stage().
  virtual void stage_songs(const std::vector<model::SongRecord>& songs) = 0;
  virtual void stage_events(const std::vector<model::EventRecord>& events) = 0;
  virtual void end_stage() = 0;

  // Rebuilds the five star tables from staging (a full load) and counts
  // every table.
  virtual TableCounts transform() = 0;

  // Records `load_id` in the ledger of committed loads (sparkify_loads),
  // then commits: the row exists exactly when the load committed.
  virtual void commit(const std::string& load_id) = 0;

  // Whether a load with this id was committed (its ledger row exists). Runs
  // inside the open load, or on its own.
  virtual bool has_committed(const std::string& load_id) = 0;

  // Rolls the load back; safe to call at any point, also after a failure.
  virtual void abort() noexcept = 0;

  // Where the data goes, for logs: host, port, database and user only.
  virtual std::string describe() const = 0;
};

}  // namespace sparkify::warehouse
