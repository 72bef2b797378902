#include "warehouse/redshift_warehouse.h"


#include "model/catalog.h"
#include "model/error.h"
#include "warehouse/json_rows.h"
#include "warehouse/redshift_sql.h"
#include "warehouse/match_sql.h"
#include "warehouse/read_snapshot.h"
#include "warehouse/sql_checks.h"
#include "warehouse/sql_text.h"
#include "warehouse/table_counts.h"
#include "warehouse/transform_sql.h"

namespace sparkify::warehouse {
namespace {

// JSON lines gathered before they are compressed into a part.
constexpr size_t kPartChunkBytes = 4 << 20;

const char* table_of(bool songs) { return songs ? "staging_songs" : "staging_events"; }

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A manifest naming exactly `files`, so that COPY loads what was listed and
// nothing else under the prefix.
std::string manifest_of(const std::vector<io::FileEntry>& files) {
  std::string out = "{\n  \"entries\": [";
  for (size_t idx = 0; idx < files.size(); ++idx) {
    out += idx == 0 ? "\n" : ",\n";
    out += "    {\"url\": \"" + files[idx].path + "\", \"mandatory\": true}";
  }
  return out + "\n  ]\n}\n";
}

// Whether COPY needs GZIP for `files`: all *.gz, or none. A mix cannot be
// loaded by one COPY.
bool all_gzip(std::span<const io::FileEntry> files, const std::string& root) {
  size_t gzip = 0;
  for (const auto& file : files) gzip += ends_with(file.path, ".gz") ? 1 : 0;
  if (gzip != 0 && gzip != files.size()) {
    throw UsageError("the files under " + root +
                     " are partly gzip-compressed and partly not, which one COPY cannot load: "
                     "use --stage-via compacted");
  }
  return gzip != 0 && gzip == files.size();
}

// The prefix COPY loads a source from: the folder with its '/', so that
// s3://b/log_data does not also take s3://b/log_data_old/.
std::string copy_prefix(const std::string& root, const std::vector<io::FileEntry>& files) {
  if (files.size() == 1 && files.front().path == root) return root;
  return ends_with(root, "/") ? root : root + "/";
}


}  // namespace

RedshiftWarehouse::RedshiftWarehouse(std::unique_ptr<PqConnection> connection, RedshiftOptions options)
    : connection_(std::move(connection)), options_(std::move(options)) {}

RedshiftWarehouse::~RedshiftWarehouse() { abort(); }

std::string RedshiftWarehouse::describe() const { return connection_->where(); }

void RedshiftWarehouse::create_tables() {
  connection_->run("BEGIN", "begin");
  connection_->run(redshift_sql::kDropTables, "drop tables");
  drop_incremental_tables(*connection_);
  for (const auto& create : redshift_sql::create_tables()) connection_->run(create, "create table");
  create_incremental_tables(*connection_, redshift_sql::create_kept_state());
  connection_->run("COMMIT", "commit");
}

std::string RedshiftWarehouse::run_folder() const {
  return io::join_path(options_.staging, "sparkify-" + load_id_);
}

void RedshiftWarehouse::begin_load(const std::string& load_id) {
  load_id_ = load_id;
  connection_->run("BEGIN", "begin");
  in_transaction_ = true;
  for (const auto& create : redshift_sql::create_tables()) connection_->run(create, "create table");
  create_incremental_tables(*connection_, redshift_sql::create_kept_state());
  for (const char* empty : redshift_sql::kEmptyStaging) connection_->run(empty, "empty staging tables");
  if (options_.stage_via == StageVia::kCompacted) {
    auto rows = connection_->query(redshift_sql::kCountSlices, {}, "count the cluster's slices");
    if (!rows.empty() && rows[0][0]) slices_ = std::max(1, std::stoi(*rows[0][0]));
  }
}

void RedshiftWarehouse::plan_staging(const SourceListing& sources) {
  song_bytes_ = 0;
  event_bytes_ = 0;
  for (const auto& file : sources.songs) song_bytes_ += file.size;
  for (const auto& file : sources.events) event_bytes_ += file.size;
}

void RedshiftWarehouse::write_staging_file(const std::string& uri, const std::string& content) {
  if (connection_->rehearsal()) {
    connection_->note("the tool writes " + uri + ":");
    size_t start = 0;
    while (start < content.size()) {
      size_t end = content.find('\n', start);
      if (end == std::string::npos) end = content.size();
      connection_->note("  " + content.substr(start, end - start));
      start = end + 1;
    }
    return;
  }
  wrote_files_ = true;
  options_.staging_fs->write_file(uri, content);
}

model::Rejects RedshiftWarehouse::last_copy_errors() {
  model::Rejects rejects;
  for (const auto& row : connection_->query(redshift_sql::kLastCopyErrors, {}, "read the COPY's load errors")) {
    model::Reject reject;
    reject.source = row[0].value_or("");
    reject.line = row[1] ? std::stoull(*row[1]) : 0;
    reject.field = row[2].value_or("");
    reject.reason = row[3].value_or("");
    reject.text = row[4].value_or("");
    rejects.push_back(std::move(reject));
  }
  return rejects;
}

model::Rejects RedshiftWarehouse::copy(const std::string& sql, const char* what) {
  try {
    connection_->run(sql, what);
  } catch (const WarehouseError& error) {
    // The transaction is void now; the load errors outlive it.
    connection_->rollback();
    in_transaction_ = false;
    model::Rejects rejects = last_copy_errors();
    if (rejects.empty()) throw;
    failed_copy_ = error.what();
    return rejects;
  }
  return last_copy_errors();
}

model::Rejects RedshiftWarehouse::stage_from_sources(const SourceListing& sources) {
  model::Rejects rejects;
  bool manifests = !options_.staging.empty();
  redshift_sql::CopyOptions common;
  common.iam_role = options_.iam_role;
  common.empty_as_null = true;
  common.max_errors = options_.max_errors;
  common.region = options_.region;
  common.manifest = manifests;

  struct Source {
    const char* table;
    const std::string& root;
    std::span<const io::FileEntry> files;
  };
  for (const Source& source : {Source{"staging_songs", sources.song_data, sources.songs},
                               Source{"staging_events", sources.log_data, sources.events}}) {
    bool events = std::string(source.table) == "staging_events";
    redshift_sql::CopyOptions options = common;
    if (events) {
      std::string paths = options_.log_jsonpath;
      if (paths.empty()) {
        paths = io::join_path(run_folder(), "staging_events.jsonpaths.json");
        write_staging_file(paths, redshift_sql::events_jsonpaths());
      }
      options.format = "JSON " + redshift_sql::quote_literal(paths);
      options.epoch_millis = true;
    } else {
      // Song files' keys are the column names already.
      options.format = "JSON 'auto ignorecase'";
    }
    // One COPY per kind of file: GZIP applies to every file a COPY reads.
    // A manifest can split them; a prefix cannot (all_gzip() refuses a mix).
    std::vector<std::pair<bool, std::vector<io::FileEntry>>> groups;
    if (manifests) {
      std::vector<io::FileEntry> plain, gzip;
      for (const auto& file : source.files) (ends_with(file.path, ".gz") ? gzip : plain).push_back(file);
      if (!plain.empty() || connection_->rehearsal()) groups.push_back({false, std::move(plain)});
      if (!gzip.empty()) groups.push_back({true, std::move(gzip)});
    } else if (!source.files.empty() || connection_->rehearsal()) {
      groups.push_back({all_gzip(source.files, source.root), {source.files.begin(), source.files.end()}});
    }
    for (auto& [gzip, files] : groups) {
      options.gzip = gzip;
      std::string from = copy_prefix(source.root, files);
      if (manifests) {
        from = io::join_path(run_folder(), std::string(source.table) + (gzip ? "-gzip" : "") + "-sources.manifest");
        write_staging_file(from, manifest_of(files));
      }
      model::Rejects found = copy(redshift_sql::copy_from_s3(source.table, from, options),
                                  events ? "COPY staging_events" : "COPY staging_songs");
      rejects.insert(rejects.end(), found.begin(), found.end());
      if (!failed_copy_.empty()) return rejects;
    }
  }
  return rejects;
}

void RedshiftWarehouse::start_parts(Staging table) {
  if (staging_ == table) return;
  if (staging_ != Staging::kNone) end_stage();
  staging_ = table;
  bool songs = table == Staging::kSongs;
  std::string folder = io::join_path(run_folder(), table_of(songs));
  size_t parts = staging_part_count(songs ? song_bytes_ : event_bytes_, slices_);
  if (connection_->rehearsal()) {
    connection_->note(std::string("the tool writes the ") + (songs ? "song" : "event") +
                      " records as gzip JSON lines in parts under " + folder +
                      "/ (a multiple of the cluster's slices), listed by " + folder + ".manifest");
    return;
  }
  wrote_files_ = true;
  parts_ = std::make_unique<StagingParts>(*options_.staging_fs, folder, parts);
  parts_buffer_.clear();
}

template <typename Record>
void RedshiftWarehouse::stage(Staging table, const std::vector<Record>& records) {
  start_parts(table);
  if (!parts_) return;  // a rehearsal
  append_json_rows(records, parts_buffer_);
  if (parts_buffer_.size() >= kPartChunkBytes) {
    parts_->add(parts_buffer_);
    parts_buffer_.clear();
  }
}

void RedshiftWarehouse::stage_songs(const std::vector<model::SongRecord>& songs) { stage(Staging::kSongs, songs); }

void RedshiftWarehouse::stage_events(const std::vector<model::EventRecord>& events) {
  stage(Staging::kEvents, events);
}

void RedshiftWarehouse::end_stage() {
  if (staging_ == Staging::kNone) return;
  bool songs = staging_ == Staging::kSongs;
  staging_ = Staging::kNone;
  std::string manifest = io::join_path(run_folder(), std::string(table_of(songs)) + ".manifest");
  if (parts_) {
    parts_->add(parts_buffer_);
    parts_buffer_.clear();
    manifest = parts_->finish();
    parts_.reset();
    if (manifest.empty()) return;  // no rows
  }
  redshift_sql::CopyOptions options;
  options.iam_role = options_.iam_role;
  options.format = "JSON 'auto'";
  options.manifest = true;
  options.gzip = true;
  options.region = options_.region;
  // The tool wrote these rows itself: any one refused is a fault, not data.
  options.max_errors = 0;
  model::Rejects refused = copy(redshift_sql::copy_from_s3(table_of(songs), manifest, options),
                                songs ? "COPY staging_songs" : "COPY staging_events");
  if (!failed_copy_.empty()) {
    std::string first = refused.empty() ? "" : "; first refused row: " + model::describe(refused.front());
    throw WarehouseError(failed_copy_ + first, "XX000");
  }
}

TableCounts RedshiftWarehouse::transform() {
  end_stage();
  match_catalog_ = MatchCatalog::kStagedSongs;
  build_star();
  clear_incremental_state(*connection_);
  counts_ = count_tables(*connection_);
  return counts_;
}

void RedshiftWarehouse::build_star() {
  if (!failed_copy_.empty()) throw WarehouseError(failed_copy_, "XX000");
  for (const char* empty : redshift_sql::kEmptyStar) connection_->run(empty, "empty star tables");
  connection_->run(sql::kInsertSongplays, "transform songplays");
  connection_->run(sql::kInsertUsers, "transform users");
  connection_->run(sql::kInsertSongs, "transform songs");
  connection_->run(sql::kInsertArtists, "transform artists");
  connection_->run(sql::kInsertTime, "transform time");
}

void RedshiftWarehouse::unload(const std::string& table, const std::string& prefix) {
  std::vector<std::string> partition_by;
  for (const auto& star : model::star_tables()) {
    if (star.name == table) partition_by = star.partition_columns;
  }
  std::string folder = ends_with(prefix, "/") ? prefix : prefix + "/";
  connection_->run(redshift_sql::unload_parquet(redshift_sql::lake_select(table), folder, options_.iam_role, partition_by),
                   "UNLOAD the lake table");
}

IncrementalPlan RedshiftWarehouse::plan_incremental(const SourceListing& sources) {
  return warehouse::plan_incremental(*connection_, sources);
}

TableCounts RedshiftWarehouse::transform_incremental(const IncrementalPlan& plan, const std::string& load_id) {
  end_stage();
  if (!failed_copy_.empty()) throw WarehouseError(failed_copy_, "XX000");
  match_catalog_ = MatchCatalog::kKeptSongs;
  if (plan.mode == IncrementalPlan::Mode::kRebuild) build_star();
  counts_ = apply_incremental(*connection_, plan, load_id);
  return counts_;
}

std::vector<quality::CheckResult> RedshiftWarehouse::run_checks(const std::vector<quality::Check>& checks) {
  end_stage();
  return run_sql_checks(*connection_, checks);
}

std::vector<std::vector<TextRow>> RedshiftWarehouse::read_snapshot(const std::vector<NamedQuery>& queries) {
  return run_read_only(*connection_, redshift_sql::kBeginSnapshot, queries);
}

quality::MatchDiagnostics RedshiftWarehouse::match_diagnostics() {
  end_stage();
  return run_match_diagnostics(*connection_, match_catalog_);
}

void RedshiftWarehouse::commit(const std::string& load_id) {
  end_stage();
  connection_->run_with(redshift_sql::kRecordLoad, {load_id, utc_now_text()}, "record the load in sparkify_loads");
  connection_->run("COMMIT", "commit");
  in_transaction_ = false;
  remove_run_folder();
}

bool RedshiftWarehouse::has_committed(const std::string& load_id) {
  if (!in_transaction_) connection_->run(redshift_sql::create_loads(), "create sparkify_loads");
  return !connection_->query(redshift_sql::kFindLoad, {load_id}, "look up the load in sparkify_loads").empty();
}

void RedshiftWarehouse::remove_run_folder() noexcept {
  if (!wrote_files_ || !options_.staging_fs) return;
  try {
    options_.staging_fs->remove_all(run_folder());
    wrote_files_ = false;
  } catch (...) {
    // Left for the user: the folder is named sparkify-<load id>, and only
    // ever holds this tool's own files.
  }
}

void RedshiftWarehouse::abort() noexcept {
  if (!connection_) return;
  if (parts_) {
    parts_->abort();
    parts_.reset();
  }
  staging_ = Staging::kNone;
  if (in_transaction_) {
    connection_->rollback();
    in_transaction_ = false;
  }
  remove_run_folder();
}

}  // namespace sparkify::warehouse
