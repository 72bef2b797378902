#include "config/settings.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string_view>
#include <thread>

#include "config/ini.h"
#include "model/error.h"

namespace sparkify::config {
namespace {

// libpq keyword/value quoting: single quotes, with ' and \ backslashed.
std::string quote_conninfo_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += "'";
  return out;
}

constexpr const char* kTargetForms =
    "a postgresql:// or postgres:// URI such as postgresql://user@host:5432/db, a redshift:// URI such as "
    "redshift://user@cluster.example.eu-west-1.redshift.amazonaws.com:5439/dev, or a libpq keyword=value "
    "string such as 'host=... dbname=... user=...'";

constexpr const char* kRedshiftPort = "5439";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// "scheme://" at the start of `text` (RFC 3986 scheme characters), or empty.
std::string_view uri_scheme(std::string_view text) {
  size_t end = text.find("://");
  if (end == std::string_view::npos || end == 0) return {};
  auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!is_alpha(text[0])) return {};
  for (char c : text.substr(0, end)) {
    if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return {};
  }
  return text.substr(0, end);
}

// libpq's keywords are lower-case letters and underscores; an upper-case
// one is let through for libpq to name as unknown.
bool is_keyword_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

// True when `text` reads as libpq's keyword=value pairs, as its
// conninfo_parse reads them: a value is a run of non-space characters or
// single-quoted, '\' escaping the next character in either. Whether each
// keyword is one libpq knows is left to libpq.
bool is_keyword_value_string(std::string_view text) {
  size_t at = 0;
  auto skip_spaces = [&] {
    while (at < text.size() && is_space(text[at])) ++at;
  };
  while (true) {
    skip_spaces();
    if (at == text.size()) return true;
    size_t keyword_start = at;
    while (at < text.size() && is_keyword_char(text[at])) ++at;
    if (at == keyword_start) return false;
    skip_spaces();
    if (at == text.size() || text[at] != '=') return false;
    ++at;
    skip_spaces();
    if (at < text.size() && text[at] == '\'') {
      for (++at;; ++at) {
        if (at >= text.size()) return false;  // no closing quote
        if (text[at] == '\\') {
          ++at;
        } else if (text[at] == '\'') {
          ++at;
          break;
        }
      }
    } else {
      while (at < text.size() && !is_space(text[at])) at += text[at] == '\\' ? 2 : 1;
      at = std::min(at, text.size());
    }
  }
}

// A local source that is not there is a usage error found here, before
// anything is created or connected to. An s3:// source (the prefix that
// io::is_s3_uri tests) is found missing when it is listed.
void require_local_source(const std::string& path, const char* what) {
  if (path.rfind("s3://", 0) == 0) return;
  std::error_code error;
  // Any other failure to look (a folder we may not read) is left to the
  // listing, which names it.
  if (std::filesystem::status(path, error).type() == std::filesystem::file_type::not_found) {
    throw UsageError(std::string("no ") + what + " at " + path + ": no such file or folder");
  }
}

template <typename T>
std::optional<T> first_of(const std::optional<T>& preferred, const std::optional<T>& fallback) {
  return preferred ? preferred : fallback;
}

}  // namespace

std::string conninfo_from_cluster(const std::optional<std::string>& host, const std::optional<std::string>& port,
                                  const std::optional<std::string>& dbname, const std::optional<std::string>& user,
                                  const std::optional<std::string>& password) {
  std::string out;
  auto add = [&](const char* keyword, const std::optional<std::string>& value) {
    if (!value) return;
    if (!out.empty()) out += ' ';
    out += keyword;
    out += '=';
    out += quote_conninfo_value(*value);
  };
  add("host", host);
  add("port", port);
  add("dbname", dbname);
  add("user", user);
  add("password", password);
  return out;
}

void check_target(const std::string& target) {
  if (std::string_view scheme = uri_scheme(target); !scheme.empty()) {
    if (scheme == "postgresql" || scheme == "postgres" || scheme == "redshift") return;
    throw UsageError("the warehouse target is a " + std::string(scheme) +
                     ":// URI, which this tool cannot load into; give " + kTargetForms);
  }
  // The string itself is never shown: it may hold a password.
  if (!is_keyword_value_string(target)) {
    throw UsageError(std::string("the warehouse target is neither a URI nor keyword=value pairs; give ") +
                     kTargetForms);
  }
}

Timeouts resolve_timeouts(const Flags& flags) {
  Timeouts timeouts;
  timeouts.connect_s = flags.connect_timeout_s.value_or(kDefaultConnectTimeoutS);
  if (timeouts.connect_s < 0 || timeouts.connect_s == 1) {
    throw UsageError("--connect-timeout must be 0 (no limit) or 2 seconds or more (libpq waits at least 2)");
  }
  timeouts.statement_s = flags.statement_timeout_s.value_or(0);
  // The server takes it in milliseconds, as a 32-bit integer.
  constexpr int kMaxStatementTimeoutS = std::numeric_limits<int32_t>::max() / 1000;
  if (timeouts.statement_s < 0 || timeouts.statement_s > kMaxStatementTimeoutS) {
    throw UsageError("--statement-timeout must be 0 (none) to " + std::to_string(kMaxStatementTimeoutS) + " seconds");
  }
  return timeouts;
}

FileSettings read_config_file(const std::string& path) {
  IniFile ini = IniFile::load(path);
  FileSettings file;
  if (ini.has_section("CLUSTER")) {
    // Without these libpq would fill in the login name and its database:
    // a load into the wrong database, quietly.
    std::string missing;
    for (const char* key : {"HOST", "DB_NAME", "DB_USER"}) {
      if (ini.get("CLUSTER", key)) continue;
      missing += missing.empty() ? "" : ", ";
      missing += key;
    }
    if (!missing.empty()) {
      const std::string rule = "[CLUSTER] needs HOST, DB_NAME and DB_USER (DB_PASSWORD and DB_PORT are optional)";
      throw UsageError(path + ": " + rule + "; missing: " + missing);
    }
    file.host = ini.get("CLUSTER", "HOST");
    file.port = ini.get("CLUSTER", "DB_PORT");
    file.dbname = ini.get("CLUSTER", "DB_NAME");
    file.user = ini.get("CLUSTER", "DB_USER");
    file.password = ini.get("CLUSTER", "DB_PASSWORD");
    file.conninfo = conninfo_from_cluster(file.host, file.port, file.dbname, file.user, file.password);
  }
  file.log_jsonpath = ini.get("S3", "LOG_JSONPATH");
  file.song_data = ini.get("S3", "SONG_DATA");
  file.log_data = ini.get("S3", "LOG_DATA");
  file.iam_role = first_of(ini.get("IAM_ROLE", "ARN"), ini.get("IAM_ROLE", "IAM_ROLE_ARN"));
  file.aws_key = ini.get("AWS", "KEY");
  file.aws_secret = ini.get("AWS", "SECRET");
  file.aws_region = ini.get("AWS", "REGION");
  return file;
}

namespace {

// PGSSLMODE, libpq's own variable, says how to connect when the target does
// not: it wins over the tool's default of sslmode=require.
bool sslmode_from_environment() {
  const char* mode = std::getenv("PGSSLMODE");
  return mode != nullptr && *mode != '\0';
}

}  // namespace

std::string redshift_uri_to_libpq(const std::string& uri) {
  std::string rest = uri.substr(std::string("redshift://").size());
  // The authority ends at the first '/', '?' or '#'; the host part after
  // the last '@' in it.
  size_t authority_end = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, authority_end);
  std::string tail = authority_end == std::string::npos ? "" : rest.substr(authority_end);
  size_t at = authority.rfind('@');
  std::string host = at == std::string::npos ? authority : authority.substr(at + 1);
  bool bracketed = !host.empty() && host.front() == '[';
  bool has_port = bracketed ? host.find("]:") != std::string::npos : host.find(':') != std::string::npos;
  if (!has_port && !host.empty()) authority += std::string(":") + kRedshiftPort;
  size_t query = tail.find('?');
  bool has_sslmode = query != std::string::npos && (tail.find("?sslmode=", query) != std::string::npos ||
                                                    tail.find("&sslmode=", query) != std::string::npos);
  if (!has_sslmode && !sslmode_from_environment()) {
    tail += query == std::string::npos ? "?sslmode=require" : "&sslmode=require";
  }
  return "postgresql://" + authority + tail;
}

std::optional<WarehouseTarget> resolve_warehouse(const Flags& flags, const FileSettings& file) {
  bool iam_role = flags.iam_role || file.iam_role;
  if (flags.target) {
    check_target(*flags.target);
    if (uri_scheme(*flags.target) == "redshift") {
      return WarehouseTarget{model::WarehouseKind::kRedshift, redshift_uri_to_libpq(*flags.target)};
    }
    if (flags.iam_role) {
      throw UsageError("--iam-role is for a Redshift target (--target redshift://..., or --config with "
                       "[CLUSTER] and [IAM_ROLE] ARN); this target is PostgreSQL");
    }
    return WarehouseTarget{model::WarehouseKind::kPostgres, *flags.target};
  }
  if (!file.conninfo) return std::nullopt;
  if (!iam_role) return WarehouseTarget{model::WarehouseKind::kPostgres, *file.conninfo};
  // The classic dwh.cfg: a Redshift cluster, over TLS, on Redshift's port.
  std::string conninfo = conninfo_from_cluster(file.host, file.port ? file.port : std::optional<std::string>(kRedshiftPort),
                                               file.dbname, file.user, file.password);
  if (!sslmode_from_environment()) conninfo += " sslmode='require'";
  return WarehouseTarget{model::WarehouseKind::kRedshift, conninfo};
}

WarehouseTarget resolve_target(const Flags& flags) {
  FileSettings file;
  if (flags.config_path) file = read_config_file(*flags.config_path);
  if (auto target = resolve_warehouse(flags, file)) return *target;
  throw UsageError(
      "no warehouse given: pass --target postgresql://USER@HOST:PORT/DB (or --target postgresql:// to "
      "use the PG* environment variables, or redshift://USER@HOST:5439/DB), or --config dwh.cfg with a "
      "[CLUSTER] section");
}

namespace {

bool is_s3(const std::string& path) { return path.rfind("s3://", 0) == 0; }

// Where a warehouse builds its star tables: in process for PostgreSQL
// unless --transform sql says otherwise; Redshift's SQL on the cluster.
StarTransform resolve_transform(const Flags& flags, const Settings& settings) {
  bool redshift = settings.target && settings.warehouse_kind == model::WarehouseKind::kRedshift;
  if (!flags.transform) return redshift ? StarTransform::kSql : StarTransform::kInProcess;
  if (!settings.target) throw UsageError("--transform is for a warehouse target (--target or --config)");
  if (*flags.transform == "sql") return StarTransform::kSql;
  if (*flags.transform != "in-process") {
    throw UsageError("--transform must be in-process or sql, not '" + *flags.transform + "'");
  }
  if (redshift) {
    throw UsageError(
        "--transform in-process is for PostgreSQL: Redshift builds the star tables with SQL on the "
        "cluster, from what it staged");
  }
  return StarTransform::kInProcess;
}

// What a Redshift load needs, checked before any work.
RedshiftSettings resolve_redshift(const Flags& flags, const FileSettings& file, const Settings& settings) {
  RedshiftSettings redshift;
  redshift.iam_role = flags.iam_role ? *flags.iam_role : file.iam_role.value_or("");
  if (redshift.iam_role.empty()) {
    throw UsageError(
        "a Redshift load needs the IAM role its COPY and UNLOAD act as: set [IAM_ROLE] ARN in the config file, "
        "or pass --iam-role arn:aws:iam::ACCOUNT:role/NAME");
  }
  bool sources_on_s3 = is_s3(settings.song_data) && is_s3(settings.log_data);
  std::string via = flags.stage_via.value_or(sources_on_s3 ? "direct" : "compacted");
  if (via == "direct") {
    redshift.stage_via = StageVia::kDirect;
  } else if (via == "compacted") {
    redshift.stage_via = StageVia::kCompacted;
  } else {
    throw UsageError("--stage-via must be compacted or direct, not '" + via + "'");
  }
  if (redshift.stage_via == StageVia::kDirect && !sources_on_s3) {
    throw UsageError("--stage-via direct has the cluster read the sources itself, so both must be on S3 "
                     "(s3://...); local sources are staged compacted, under --staging");
  }
  redshift.staging = flags.staging.value_or("");
  if (!redshift.staging.empty() && !is_s3(redshift.staging)) {
    throw UsageError("--staging must be an s3:// prefix the cluster can read, not '" + redshift.staging + "'");
  }
  redshift.log_jsonpath = flags.log_jsonpath ? *flags.log_jsonpath : file.log_jsonpath.value_or("");
  if (!redshift.log_jsonpath.empty() && !is_s3(redshift.log_jsonpath)) {
    throw UsageError("the events' jsonpaths file ([S3] LOG_JSONPATH or --log-jsonpath) must be an s3:// URI");
  }
  if (redshift.stage_via == StageVia::kCompacted && redshift.staging.empty()) {
    throw UsageError("compacted staging writes the staging rows to S3 for the cluster's COPY: pass --staging "
                     "s3://BUCKET/PREFIX (a prefix the tool may write to and the IAM role may read)");
  }
  if (redshift.stage_via == StageVia::kDirect && redshift.staging.empty() && redshift.log_jsonpath.empty()) {
    throw UsageError("direct staging needs a jsonpaths file for the events: set [S3] LOG_JSONPATH in the config "
                     "file (or --log-jsonpath s3://...), or pass --staging s3://BUCKET/PREFIX for the tool to write one");
  }
  // A file of ours under a source would be loaded as data (and Redshift
  // refuses a jsonpaths file under the data's prefix).
  if (!redshift.staging.empty()) {
    std::string staging = redshift.staging.back() == '/' ? redshift.staging : redshift.staging + "/";
    for (const std::string* source : {&settings.song_data, &settings.log_data}) {
      std::string prefix = source->back() == '/' ? *source : *source + "/";
      if (staging.rfind(prefix, 0) == 0 || prefix.rfind(staging, 0) == 0) {
        throw UsageError("--staging " + redshift.staging + " and the source " + *source +
                         " overlap; the staging prefix must lie outside the sources");
      }
    }
  }
  return redshift;
}

// --since/--until as a window of days; none when neither is given.
std::optional<model::DayWindow> resolve_window(const Flags& flags) {
  if (!flags.since && !flags.until) return std::nullopt;
  if (flags.full_refresh) {
    throw UsageError("--since/--until replace the rows of their days (an incremental load); they exclude "
                     "--full-refresh");
  }
  auto day = [](const std::optional<std::string>& text, const char* flag) -> std::optional<int64_t> {
    if (!text) return std::nullopt;
    auto parsed = model::parse_day(*text);
    if (!parsed) throw UsageError(std::string(flag) + " takes a date YYYY-MM-DD (UTC), not '" + *text + "'");
    return parsed;
  };
  model::DayWindow window{day(flags.since, "--since"), day(flags.until, "--until")};
  if (window.first_day && window.last_day && *window.first_day > *window.last_day) {
    throw UsageError("--since " + *flags.since + " is after --until " + *flags.until);
  }
  return window;
}

}  // namespace

void resolve_s3_access(const Flags& flags, const FileSettings& file, Settings& settings) {
  settings.aws_key = file.aws_key;
  settings.aws_secret = file.aws_secret;
  settings.aws_region = first_of(flags.aws_region, file.aws_region);
  settings.s3_endpoint = flags.s3_endpoint;
  settings.aws_profile = flags.aws_profile;
  settings.no_sign_request = flags.no_sign_request;
}

Settings resolve_etl_settings(const Flags& flags) {
  FileSettings file;
  if (flags.config_path) file = read_config_file(*flags.config_path);
  Settings settings;
  auto song_data = first_of(flags.song_data, file.song_data);
  auto log_data = first_of(flags.log_data, file.log_data);
  if (!song_data) throw UsageError("no song data given: pass --song-data PATH (or [S3] SONG_DATA in the config file)");
  if (!log_data) throw UsageError("no log data given: pass --log-data PATH (or [S3] LOG_DATA in the config file)");
  settings.song_data = *song_data;
  settings.log_data = *log_data;
  if (auto warehouse = resolve_warehouse(flags, file)) {
    settings.target = warehouse->conninfo;
    settings.warehouse_kind = warehouse->kind;
  }
  settings.dry_run = flags.dry_run;
  if (flags.incremental && flags.full_refresh) throw UsageError("--incremental and --full-refresh exclude each other");
  settings.window = resolve_window(flags);
  settings.incremental = flags.incremental || settings.window.has_value();
  settings.checks_path = flags.checks_path;
  settings.check = flags.check || flags.checks_path.has_value();
  settings.lake = flags.lake;
  if (!settings.target && !settings.lake) settings.lake = "lake";  // the embedded default
  // Each target keeps its own ledger of what it loaded; one run merges into
  // one of them.
  if (settings.incremental && settings.target && settings.lake) {
    throw UsageError("--incremental loads one target at a time: run it once with the warehouse and once with "
                     "--lake (each keeps its own ledger of loaded files)");
  }
  settings.max_errors = flags.max_errors.value_or(0);
  if (settings.max_errors < 0) throw UsageError("--max-errors must be 0 or more");
  if (flags.rejects_path) settings.rejects_path = *flags.rejects_path;
  settings.threads = flags.threads.value_or(0);
  if (settings.threads < 0) throw UsageError("--threads must be 0 (one per core) or more");
  if (flags.compression) settings.compression = *flags.compression;
  if (settings.compression != "snappy" && settings.compression != "zstd" && settings.compression != "none") {
    throw UsageError("--compression must be snappy, zstd or none, not '" + settings.compression + "'");
  }
  settings.iam_role = file.iam_role;
  resolve_s3_access(flags, file, settings);
  if (flags.s3_connections && *flags.s3_connections < 1) throw UsageError("--s3-connections must be 1 or more");
  settings.s3_connections = flags.s3_connections.value_or(0);
  if (flags.s3_max_attempts && *flags.s3_max_attempts < 1) throw UsageError("--s3-max-attempts must be 1 or more");
  settings.s3_max_attempts = flags.s3_max_attempts.value_or(0);
  settings.allow_empty_input = flags.allow_empty_input;
  settings.timeouts = resolve_timeouts(flags);
  require_local_source(settings.song_data, "song data");
  require_local_source(settings.log_data, "log data");
  if (settings.target && settings.warehouse_kind == model::WarehouseKind::kRedshift) {
    settings.redshift = resolve_redshift(flags, file, settings);
    if (settings.incremental && settings.redshift.stage_via == StageVia::kDirect && settings.redshift.staging.empty()) {
      throw UsageError("--incremental with direct staging COPYs a manifest of the new files: pass --staging "
                       "s3://BUCKET/PREFIX for it (or --stage-via compacted)");
    }
    if (settings.window && settings.redshift.stage_via == StageVia::kDirect) {
      throw UsageError("--since/--until keep only the window's events, which the tool must read for that: pass "
                       "--stage-via compacted (direct staging has the cluster COPY whole files)");
    }
  } else if (flags.staging || flags.stage_via || flags.log_jsonpath) {
    throw UsageError("--staging, --stage-via and --log-jsonpath are for a Redshift target");
  }
  settings.transform = resolve_transform(flags, settings);
  return settings;
}

size_t threads_to_use(const Settings& settings) {
  if (settings.threads > 0) return static_cast<size_t>(settings.threads);
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace sparkify::config
