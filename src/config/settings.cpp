#include "config/settings.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string_view>

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
    "a postgresql:// or postgres:// URI such as postgresql://user@host:5432/db, or a libpq keyword=value "
    "string such as 'host=... dbname=... user=...'";

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
    if (scheme == "postgresql" || scheme == "postgres") return;
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
    file.conninfo = conninfo_from_cluster(ini.get("CLUSTER", "HOST"), ini.get("CLUSTER", "DB_PORT"),
                                          ini.get("CLUSTER", "DB_NAME"), ini.get("CLUSTER", "DB_USER"),
                                          ini.get("CLUSTER", "DB_PASSWORD"));
  }
  file.song_data = ini.get("S3", "SONG_DATA");
  file.log_data = ini.get("S3", "LOG_DATA");
  file.iam_role = first_of(ini.get("IAM_ROLE", "ARN"), ini.get("IAM_ROLE", "IAM_ROLE_ARN"));
  file.aws_key = ini.get("AWS", "KEY");
  file.aws_secret = ini.get("AWS", "SECRET");
  file.aws_region = ini.get("AWS", "REGION");
  return file;
}

std::string resolve_target(const Flags& flags) {
  if (flags.target) {
    check_target(*flags.target);
    return *flags.target;
  }
  if (flags.config_path) {
    FileSettings file = read_config_file(*flags.config_path);
    if (file.conninfo) {
      check_target(*file.conninfo);
      return *file.conninfo;
    }
  }
  throw UsageError(
      "no warehouse given: pass --target postgresql://USER@HOST:PORT/DB (or --target postgresql:// to "
      "use the PG* environment variables), or --config dwh.cfg with a [CLUSTER] section");
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
  settings.target = first_of(flags.target, file.conninfo);
  if (settings.target) check_target(*settings.target);
  settings.lake = flags.lake;
  if (!settings.target && !settings.lake) settings.lake = "lake";  // the embedded default
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
  settings.aws_key = file.aws_key;
  settings.aws_secret = file.aws_secret;
  settings.aws_region = first_of(flags.aws_region, file.aws_region);
  settings.s3_endpoint = flags.s3_endpoint;
  settings.aws_profile = flags.aws_profile;
  settings.no_sign_request = flags.no_sign_request;
  if (flags.s3_connections && *flags.s3_connections < 1) throw UsageError("--s3-connections must be 1 or more");
  settings.s3_connections = flags.s3_connections.value_or(0);
  if (flags.s3_max_attempts && *flags.s3_max_attempts < 1) throw UsageError("--s3-max-attempts must be 1 or more");
  settings.s3_max_attempts = flags.s3_max_attempts.value_or(0);
  settings.allow_empty_input = flags.allow_empty_input;
  settings.timeouts = resolve_timeouts(flags);
  require_local_source(settings.song_data, "song data");
  require_local_source(settings.log_data, "log data");
  return settings;
}

}  // namespace sparkify::config
