// Amazon Redshift's own statements: table definitions in its dialect and
// the COPY and UNLOAD statements of a load. The transform is the shared
// transform_sql.h. Nothing here may use what Redshift lacks (COPY FROM
// STDIN, ON CONFLICT, DISTINCT ON, RETURNING, SERIAL, IDENTITY columns,
// jsonb, CREATE INDEX, COLLATE): the emulator in the tests refuses them.
//
// Keys (docs/redshift.md gives the reasoning):
//   songplays, time   DISTKEY(start_time) SORTKEY(start_time): the fact and
//                     its largest dimension are joined on start_time on the
//                     same slice, and date filters skip blocks.
//   users, songs, artists   DISTSTYLE ALL: small, joined to every play.
//   staging_events DISTKEY(song), staging_songs DISTKEY(title): the
//                     transform's one large join (title, artist, duration)
//                     runs on each slice without moving rows.
// VARCHAR sizes are bytes, not characters: free text is VARCHAR(65535), the
// most Redshift takes, so that no real title or place (multi-byte, or over
// 256 bytes like some artist_location values) fails the load; codes and ids
// have room to spare.
#pragma once

#include <string>
#include <vector>

#include "warehouse/sql_text.h"

namespace sparkify::warehouse::redshift_sql {

std::string create_staging_events();
std::string create_staging_songs();
std::string create_songplays();
std::string create_users();
std::string create_songs();
std::string create_artists();
std::string create_time();
std::string create_loads();
// The kept state of incremental loads (incremental.h): plays and user-days
// on the slice of their user, the song matches on every node.
std::vector<std::string> create_kept_state();

// Every CREATE TABLE IF NOT EXISTS, in order.
std::vector<std::string> create_tables();

inline constexpr const char* kDropTables =
    "DROP TABLE IF EXISTS staging_events, staging_songs, songplays, users, songs, artists, time";

// TRUNCATE commits the open transaction on Redshift: a load empties tables
// with DELETE, which stays inside it.
inline constexpr const char* kEmptyStaging[] = {"DELETE FROM staging_events", "DELETE FROM staging_songs"};
inline constexpr const char* kEmptyStar[] = {"DELETE FROM songplays", "DELETE FROM users", "DELETE FROM songs",
                                             "DELETE FROM artists", "DELETE FROM time"};

// The ledger row: the commit time is sent by the tool, as neither engine's
// clock function is spelt the same on the other.
inline constexpr const char* kRecordLoad = "INSERT INTO sparkify_loads (load_id, committed_at) VALUES ($1, $2)";
inline constexpr const char* kFindLoad = "SELECT 1 FROM sparkify_loads WHERE load_id = $1";
// A read-only look at the tables; Redshift's transactions are serializable,
// so every query after it sees one snapshot.
inline constexpr const char* kBeginSnapshot = "BEGIN READ ONLY";

// The cluster's slices: staging parts come in a multiple of it.
inline constexpr const char* kCountSlices = "SELECT COUNT(*) FROM stv_slices";

// The rows the last COPY of this session rejected.
inline constexpr const char* kLastCopyErrors =
    "SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason), TRIM(raw_line) "
    "FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY filename, line_number";

// The staging columns, in table order (COPY column lists, jsonpaths).
const std::vector<std::string>& staging_events_columns();
const std::vector<std::string>& staging_songs_columns();
// The JSON keys of an event line, in staging_events' column order.
const std::vector<std::string>& event_json_keys();

// A jsonpaths file mapping the event keys onto staging_events' columns.
std::string events_jsonpaths();

using warehouse::quote_literal;

// What a COPY from S3 is told besides its source.
struct CopyOptions {
  std::string iam_role;
  std::string format;         // "JSON 'auto'", "JSON 'auto ignorecase'", "JSON 's3://…/paths.json'"
  bool manifest = false;      // the source is a manifest listing the files
  bool gzip = false;
  bool empty_as_null = false; // EMPTYASNULL BLANKSASNULL
  bool epoch_millis = false;  // TIMEFORMAT 'epochmillisecs'
  long long max_errors = 0;
  std::string region;         // REGION, when the bucket is in another region than the cluster
};

// COPY `table` FROM `source` with `options`.
std::string copy_from_s3(const std::string& table, const std::string& source, const CopyOptions& options);

// UNLOAD ('`select`') TO `prefix` as Parquet, partitioned by `partition_by`
// (left out of the files, as the lake's layout wants).
std::string unload_parquet(const std::string& select, const std::string& prefix, const std::string& iam_role,
                           const std::vector<std::string>& partition_by);

// The SELECT that UNLOAD writes for each star table: its columns in the
// lake's order, the partition columns last.
std::string lake_select(const std::string& table);

}  // namespace sparkify::warehouse::redshift_sql
