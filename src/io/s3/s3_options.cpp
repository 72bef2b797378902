#include "io/s3/s3_options.h"

#include <charconv>

#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>

#include "model/error.h"

namespace sparkify::io {

namespace {

// One profile of a shared file: "key" -> value, and nested sub-section
// values as "s3.endpoint_url".
using Profile = std::map<std::string, std::string>;

struct SharedFile {
  std::string path;
  bool found = false;
  std::map<std::string, Profile> profiles;
  std::map<std::string, Profile> services;  // [services name] sections
};

std::string trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// The AWS shared files are INI files with one twist: a key with an empty
// value opens a sub-section whose indented lines belong to it
// ("s3 =\n  endpoint_url = …").
SharedFile read_shared_file(const std::string& path, bool is_config) {
  SharedFile file;
  file.path = path;
  std::ifstream in(path);
  if (!in) return file;
  file.found = true;
  Profile* section = nullptr;
  std::string parent;
  std::string line;
  while (std::getline(in, line)) {
    std::string content = trim(line);
    if (content.empty() || content[0] == '#' || content[0] == ';') continue;
    if (content.front() == '[' && content.back() == ']') {
      std::string name = trim(std::string_view(content).substr(1, content.size() - 2));
      parent.clear();
      section = nullptr;
      if (!is_config) {
        section = &file.profiles[name];
      } else if (name == "default") {
        section = &file.profiles[name];
      } else if (name.rfind("profile ", 0) == 0) {
        section = &file.profiles[trim(std::string_view(name).substr(8))];
      } else if (name.rfind("services ", 0) == 0) {
        section = &file.services[trim(std::string_view(name).substr(9))];
      }
      continue;  // other kinds of section ([sso-session x]) are not ours
    }
    if (section == nullptr) continue;
    size_t equals = content.find('=');
    if (equals == std::string::npos) continue;
    std::string key = trim(std::string_view(content).substr(0, equals));
    std::string value = trim(std::string_view(content).substr(equals + 1));
    bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (indented && !parent.empty()) {
      (*section)[parent + "." + key] = value;
      continue;
    }
    parent = value.empty() ? key : std::string();
    if (!value.empty()) (*section)[key] = value;
  }
  return file;
}

std::optional<std::string> value_in(const Profile* profile, const std::string& key) {
  if (profile == nullptr) return std::nullopt;
  auto it = profile->find(key);
  if (it == profile->end() || it->second.empty()) return std::nullopt;
  return it->second;
}

const Profile* profile_in(const SharedFile& file, const std::string& name) {
  auto it = file.profiles.find(name);
  return it == file.profiles.end() ? nullptr : &it->second;
}

std::string expand_home(const std::string& path, const std::string& home) {
  if (path == "~") return home;
  if (path.rfind("~/", 0) == 0) return home + path.substr(1);
  return path;
}

bool is_true(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string lower;
  for (char c : *value) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "true" || lower == "1";
}

std::string validated_endpoint(const std::string& endpoint, const std::string& source) {
  std::string out = endpoint;
  if (out.rfind("http://", 0) != 0 && out.rfind("https://", 0) != 0) {
    throw UsageError("the S3 endpoint '" + redact_url_userinfo(endpoint) + "' (from " + source +
                     ") must be an http:// or https:// URL, e.g. http://127.0.0.1:4568");
  }
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

// A count of attempts as the AWS CLI takes it: a whole number, 1 or more.
int attempts_from(const std::string& text, const std::string& source) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) {
    throw UsageError("max attempts '" + text + "' (from " + source + ") must be a whole number, 1 or more");
  }
  return value;
}

}  // namespace

S3Options resolve_s3_options(const S3Overrides& explicit_values,
                             const std::function<std::optional<std::string>(const std::string&)>& getenv,
                             const std::string& home) {
  auto env = [&](const std::string& name) -> std::optional<std::string> {
    auto value = getenv(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  };

  S3Options options;
  options.no_sign_request = explicit_values.no_sign_request;

  bool profile_named = true;
  if (explicit_values.profile) {
    options.profile = *explicit_values.profile;
  } else if (auto named = env("AWS_PROFILE")) {
    options.profile = *named;
  } else if (auto legacy = env("AWS_DEFAULT_PROFILE")) {
    options.profile = *legacy;
  } else {
    options.profile = "default";
    profile_named = false;
  }

  std::string credentials_path =
      expand_home(env("AWS_SHARED_CREDENTIALS_FILE").value_or(home + "/.aws/credentials"), home);
  std::string config_path = expand_home(env("AWS_CONFIG_FILE").value_or(home + "/.aws/config"), home);
  SharedFile credentials_file = read_shared_file(credentials_path, false);
  SharedFile config_file = read_shared_file(config_path, true);
  const Profile* credentials_profile = profile_in(credentials_file, options.profile);
  const Profile* config_profile = profile_in(config_file, options.profile);
  if (profile_named && options.profile != "default" && credentials_profile == nullptr &&
      config_profile == nullptr) {
    throw UsageError("the AWS profile '" + options.profile + "' is in neither " + credentials_path + " nor " +
                     config_path);
  }

  // Region.
  if (explicit_values.region) {
    options.region = *explicit_values.region;
  } else if (auto region = env("AWS_REGION")) {
    options.region = *region;
  } else if (auto default_region = env("AWS_DEFAULT_REGION")) {
    options.region = *default_region;
  } else if (auto profile_region = value_in(config_profile, "region")) {
    options.region = *profile_region;
  }

  // Endpoint.
  if (explicit_values.endpoint && !explicit_values.endpoint->empty()) {
    options.endpoint = validated_endpoint(*explicit_values.endpoint, "the command line or config file");
  } else if (!is_true(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
    const Profile* services = nullptr;
    if (auto services_name = value_in(config_profile, "services")) {
      auto it = config_file.services.find(*services_name);
      if (it != config_file.services.end()) services = &it->second;
    }
    if (auto s3_env = env("AWS_ENDPOINT_URL_S3")) {
      options.endpoint = validated_endpoint(*s3_env, "AWS_ENDPOINT_URL_S3");
    } else if (auto any_env = env("AWS_ENDPOINT_URL")) {
      options.endpoint = validated_endpoint(*any_env, "AWS_ENDPOINT_URL");
    } else if (auto nested = value_in(config_profile, "s3.endpoint_url")) {
      options.endpoint = validated_endpoint(*nested, config_path);
    } else if (auto service = value_in(services, "s3.endpoint_url")) {
      options.endpoint = validated_endpoint(*service, config_path);
    } else if (auto global = value_in(config_profile, "endpoint_url")) {
      options.endpoint = validated_endpoint(*global, config_path);
    }
  }

  // Addressing style.
  options.path_style = !options.endpoint.empty();
  if (explicit_values.path_style) {
    options.path_style = *explicit_values.path_style;
  } else if (auto style = value_in(config_profile, "s3.addressing_style")) {
    if (*style == "path") options.path_style = true;
    if (*style == "virtual") options.path_style = false;
  }

  // Attempts per request.
  if (explicit_values.max_attempts) {
    if (*explicit_values.max_attempts < 1) throw UsageError("max attempts must be 1 or more");
    options.max_attempts = *explicit_values.max_attempts;
  } else if (auto env_attempts = env("AWS_MAX_ATTEMPTS")) {
    options.max_attempts = attempts_from(*env_attempts, "AWS_MAX_ATTEMPTS");
  } else if (auto profile_attempts = value_in(config_profile, "max_attempts")) {
    options.max_attempts = attempts_from(*profile_attempts, config_path);
  }

  // Credentials.
  if (options.no_sign_request) {
    options.credentials_source = "none (unsigned requests)";
    return options;
  }
  if (explicit_values.access_key_id || explicit_values.secret_access_key) {
    if (!explicit_values.access_key_id || !explicit_values.secret_access_key) {
      throw UsageError("an AWS access key id was given without its secret access key, or the other way round: "
                       "give both");
    }
    options.access_key_id = *explicit_values.access_key_id;
    options.secret_access_key = *explicit_values.secret_access_key;
    options.session_token = explicit_values.session_token.value_or("");
    options.credentials_source = "the command line or config file";
    return options;
  }
  if (!explicit_values.profile) {
    auto key = env("AWS_ACCESS_KEY_ID");
    auto secret = env("AWS_SECRET_ACCESS_KEY");
    if (key && secret) {
      options.access_key_id = *key;
      options.secret_access_key = *secret;
      options.session_token = env("AWS_SESSION_TOKEN").value_or(env("AWS_SECURITY_TOKEN").value_or(""));
      options.credentials_source = "the environment (AWS_ACCESS_KEY_ID)";
      return options;
    }
    if (key || secret) {
      throw UsageError(std::string("the environment sets ") + (key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                       " but not " + (key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") + ": set both");
    }
  }
  for (auto [profile, path] : {std::pair{credentials_profile, credentials_path}, std::pair{config_profile, config_path}}) {
    auto key = value_in(profile, "aws_access_key_id");
    auto secret = value_in(profile, "aws_secret_access_key");
    if (!key && !secret) continue;
    if (!key || !secret) {
      throw UsageError("the AWS profile '" + options.profile + "' in " + path + " has " +
                       (key ? "aws_access_key_id" : "aws_secret_access_key") + " but not " +
                       (key ? "aws_secret_access_key" : "aws_access_key_id"));
    }
    options.access_key_id = *key;
    options.secret_access_key = *secret;
    options.session_token = value_in(profile, "aws_session_token").value_or("");
    options.credentials_source = "profile '" + options.profile + "' in " + path;
    return options;
  }
  for (const char* provider : {"sso_session", "sso_start_url", "role_arn", "credential_process", "web_identity_token_file"}) {
    if (value_in(config_profile, provider) || value_in(credentials_profile, provider)) {
      throw UsageError("the AWS profile '" + options.profile + "' gets its credentials through " + provider +
                       ", which this tool does not support: export short-term credentials first (aws configure "
                       "export-credentials --profile " + options.profile + " --format env)");
    }
  }
  throw UsageError("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add profile '" +
                   options.profile + "' to " + credentials_path + ", or pass --no-sign-request for a public bucket");
}

std::optional<std::string> process_getenv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string process_home() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return home;
  if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir != nullptr) {
    return entry->pw_dir;
  }
  return ".";
}

std::string_view url_userinfo(std::string_view url) {
  size_t scheme_end = url.find("://");
  size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::string_view authority = url.substr(authority_start);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  // The last '@': a password may hold one of its own.
  size_t at = authority.rfind('@');
  return at == std::string_view::npos ? std::string_view() : authority.substr(0, at);
}

std::string redact_url_userinfo(std::string_view url) {
  std::string_view userinfo = url_userinfo(url);
  if (userinfo.empty()) return std::string(url);
  size_t start = static_cast<size_t>(userinfo.data() - url.data());
  return std::string(url.substr(0, start)) + "[redacted]" + std::string(url.substr(start + userinfo.size()));
}

std::string describe_s3_options(const S3Options& options) {
  std::string out = "region " + options.region + ", ";
  out += options.endpoint.empty() ? "AWS" : "endpoint " + redact_url_userinfo(options.endpoint);
  out += options.path_style ? ", path-style" : ", virtual-hosted style";
  out += ", credentials from " + options.credentials_source;
  return out;
}

}  // namespace sparkify::io
