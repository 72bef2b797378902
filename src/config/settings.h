// One Settings value for a run, merged from flags, the dwh.cfg file and the
// environment, in that order of precedence. Secrets it holds (the database
// password inside a connection string, AWS keys) must never be printed:
// use the describe_* helpers for logs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/day_window.h"
#include "model/warehouse_kind.h"

namespace sparkify::config {

// What the command line said; unset fields fall back to the file, then the
// environment, then the defaults.
struct Flags {
  std::optional<std::string> config_path;  // --config dwh.cfg
  std::optional<std::string> song_data;
  std::optional<std::string> log_data;
  std::optional<std::string> target;  // postgresql://, redshift:// or libpq keyword=value string
  std::optional<std::string> lake;
  std::optional<int64_t> max_errors;
  std::optional<std::string> rejects_path;
  std::optional<int> threads;
  std::optional<std::string> compression;
  // S3
  std::optional<std::string> aws_region;
  std::optional<std::string> s3_endpoint;
  std::optional<std::string> aws_profile;
  bool no_sign_request = false;
  std::optional<int> s3_connections;
  std::optional<int> s3_max_attempts;
  bool allow_empty_input = false;
  // The warehouse connection
  std::optional<int> connect_timeout_s;    // --connect-timeout
  std::optional<int> statement_timeout_s;  // --statement-timeout
  // Redshift
  std::optional<std::string> iam_role;      // --iam-role
  std::optional<std::string> staging;       // --staging s3://bucket/prefix
  std::optional<std::string> stage_via;     // --stage-via compacted|direct
  std::optional<std::string> log_jsonpath;  // --log-jsonpath s3://…
  std::optional<std::string> transform;     // --transform in-process|sql
  bool dry_run = false;                     // --dry-run
  // Quality checks
  bool incremental = false;                  // --incremental (else --full-refresh, the default)
  bool full_refresh = false;                 // --full-refresh, said out loud
  std::optional<std::string> since;          // --since YYYY-MM-DD: a backfill from this day (UTC)
  std::optional<std::string> until;          // --until YYYY-MM-DD: … up to this day, included
  bool check = false;                        // --check: check before committing
  std::optional<std::string> checks_path;    // --checks FILE: the user's checks too
};

// How long the warehouse connection may wait. A value the connection string
// sets itself (?connect_timeout=…) wins over these.
inline constexpr int kDefaultConnectTimeoutS = 30;
struct Timeouts {
  int connect_s = kDefaultConnectTimeoutS;  // to connect and log in; 0: no limit
  int statement_s = 0;                      // per statement; 0: none set (a long COPY is normal)
};

// What dwh.cfg contributes.
struct FileSettings {
  std::optional<std::string> conninfo;  // built from [CLUSTER]
  // [CLUSTER] as the parts a Redshift connection string is built from
  // (sslmode and port defaults differ).
  std::optional<std::string> host, port, dbname, user, password;
  std::optional<std::string> log_jsonpath;  // [S3] LOG_JSONPATH
  std::optional<std::string> song_data;  // [S3] SONG_DATA
  std::optional<std::string> log_data;   // [S3] LOG_DATA
  std::optional<std::string> iam_role;   // [IAM_ROLE] ARN
  std::optional<std::string> aws_key;    // [AWS] KEY
  std::optional<std::string> aws_secret; // [AWS] SECRET
  std::optional<std::string> aws_region; // [AWS] REGION
};

// Reads dwh.cfg. Throws UsageError naming the file (and line) when it cannot
// be read or parsed, and naming the missing keys when it has a [CLUSTER]
// section without HOST, DB_NAME or DB_USER. DB_PASSWORD (else PGPASSWORD or
// ~/.pgpass) and DB_PORT (else PGPORT or libpq's 5432) are optional.
FileSettings read_config_file(const std::string& path);

// A warehouse to load: its kind and a libpq connection string for it.
struct WarehouseTarget {
  model::WarehouseKind kind = model::WarehouseKind::kPostgres;
  std::string conninfo;
};

// How a Redshift load stages the sources (docs/redshift.md).
enum class StageVia { kCompacted, kDirect };

// What a Redshift load needs besides the connection.
struct RedshiftSettings {
  std::string iam_role;
  StageVia stage_via = StageVia::kCompacted;
  std::string staging;       // s3:// prefix for the tool's own files; empty: none
  std::string log_jsonpath;  // the user's jsonpaths file; empty: the tool writes one
};

// Where a warehouse's star tables are built from the staged records: by
// the tool, beside the staging, and COPYed in (PostgreSQL's default), or by
// the warehouse's SQL over the staging tables (Redshift's only way: its
// rows never pass through this machine).
enum class StarTransform { kInProcess, kSql };

struct Settings {
  std::string song_data;
  std::string log_data;
  std::optional<std::string> target;  // a libpq connection string, or none
  model::WarehouseKind warehouse_kind = model::WarehouseKind::kPostgres;
  RedshiftSettings redshift;          // when warehouse_kind is kRedshift
  StarTransform transform = StarTransform::kInProcess;  // of a warehouse target
  bool dry_run = false;               // print what would be sent, connect to nothing
  bool incremental = false;           // load only the files not loaded before, merged in
  // --since/--until (implies incremental): a backfill, whose window's rows
  // are replaced by what the files dated inside it hold now.
  std::optional<model::DayWindow> window;
  bool check = false;                 // run the checks on the new tables before committing
  std::optional<std::string> checks_path;  // the user's checks file (implies check)
  std::optional<std::string> lake;    // a lake folder or s3:// prefix, or none
  int64_t max_errors = 0;
  std::string rejects_path = "rejects.ndjson";
  int threads = 0;  // 0: one per core
  std::string compression = "snappy";
  std::optional<std::string> iam_role;
  std::optional<std::string> aws_key;
  std::optional<std::string> aws_secret;
  std::optional<std::string> aws_region;
  std::optional<std::string> s3_endpoint;
  std::optional<std::string> aws_profile;
  bool no_sign_request = false;
  int s3_connections = 0;   // requests in flight at once; 0: the client's default
  int s3_max_attempts = 0;  // attempts per request, the first included; 0: AWS_MAX_ATTEMPTS, ~/.aws/config or 3
  Timeouts timeouts;        // of the warehouse connection
  // A source with no file or no record of its kind is an error unless this
  // is set: it is what swapped --song-data and --log-data look like.
  bool allow_empty_input = false;
};

// --threads, or one per core: how many files are read and parsed at once,
// and how many threads build the star.
size_t threads_to_use(const Settings& settings);

// Merges flags over the file. With neither a target nor a lake anywhere,
// the run writes the embedded default lake, ./lake. Throws UsageError when
// a source is not given, when a local source path does not exist (an s3://
// one is checked when listed), when the target is not one check_target()
// accepts, or when a value is out of range: --since or --until not a date
// YYYY-MM-DD, --since after --until, either with --full-refresh.
Settings resolve_etl_settings(const Flags& flags);

// How S3 is reached (keys, region, endpoint, profile, anonymous), flags over
// the file, into `settings`: one rule for every command that reads S3.
void resolve_s3_access(const Flags& flags, const FileSettings& file, Settings& settings);

// Resolves only the warehouse target (create-tables). Throws UsageError
// when there is none or it is not one check_target() accepts.
WarehouseTarget resolve_target(const Flags& flags);

// The warehouse the flags and the file name, if any: --target wins over
// [CLUSTER]. A redshift:// URI is Redshift, rewritten into a libpq URI with
// sslmode=require (unless it sets sslmode) and port 5439 unless given;
// [CLUSTER] is Redshift when an IAM role is given ([IAM_ROLE] ARN or
// --iam-role), with the same defaults. PGSSLMODE in the environment, as
// libpq reads it, replaces the default sslmode. Throws UsageError as check_target()
// does, and for --iam-role with a PostgreSQL target.
std::optional<WarehouseTarget> resolve_warehouse(const Flags& flags, const FileSettings& file);

// The warehouse timeouts of `flags`, defaults filled in. Throws UsageError
// when --connect-timeout is neither 0 nor 2 or more (libpq waits at least
// 2 s) or --statement-timeout is negative or too large to hold in
// milliseconds.
Timeouts resolve_timeouts(const Flags& flags);

// Throws UsageError unless `target` is a warehouse connection string this
// tool loads into: a postgresql://, postgres:// or redshift:// URI, or libpq
// keyword=value pairs ("" too: everything from the PG* environment). Any
// other scheme (mysql://) is refused, naming the accepted forms; the
// message never repeats the string, which may hold a password.
void check_target(const std::string& target);

// A redshift:// URI as the libpq URI to connect with (see
// resolve_warehouse()).
std::string redshift_uri_to_libpq(const std::string& uri);

// "host=… port=… dbname=… user=… password=…" with libpq's quoting.
std::string conninfo_from_cluster(const std::optional<std::string>& host, const std::optional<std::string>& port,
                                  const std::optional<std::string>& dbname, const std::optional<std::string>& user,
                                  const std::optional<std::string>& password);

}  // namespace sparkify::config
